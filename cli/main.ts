#!/usr/bin/env node
/** `fortiflex` command entry of the packages (packaging/build-package.ts): doctor reads the installed library's fleet layer. */
import { installedFleet } from "./installed-fleet";
import { runFromProcess } from "./process-run";

runFromProcess(installedFleet);
