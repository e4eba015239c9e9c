#!/usr/bin/env node
/** `fortiflex` command entry in the fleet repository (npm run fortiflex -- <command>): doctor reads its customers file. */
import { runFromProcess } from "./process-run";
import { repositoryFleet } from "./repository-fleet";

runFromProcess(repositoryFleet);
