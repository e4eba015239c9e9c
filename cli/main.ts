#!/usr/bin/env node
/** `fortiflex` command entry of the packages and the judge: doctor reads the installed library's fleet layer. */
import { installedFleet } from "./installed-fleet";
import { runFromProcess } from "./process-run";

runFromProcess(installedFleet);
