export type Framework = "cdktf" | "cdktn";
export declare const PROJECT_ROOT: string;
export declare function cdktnSpecifier(specifier: string): string | undefined;
export declare function esbuildAliases(framework: Framework): Record<string, string>;
export declare function jestModuleNameMapper(framework: Framework): Record<string, string>;
