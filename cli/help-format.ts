import { Help, type Option } from "commander";

/**
 * `--help` that says which options must be given: commander lists mandatory options like the others, unmarked.
 * Set on the program, inherited by every command.
 */
export const HELP_CONFIGURATION: Partial<Help> = {
  optionDescription(this: Help, option: Option): string {
    const description = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `${description} (required)` : description;
  },
};
