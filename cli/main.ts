#!/usr/bin/env node
/** `fortiflex` command entry of the packages (packaging/build-package.ts): without the fleet repository's files. */
import { runFromProcess } from "./process-run";

runFromProcess();
