import * as path from "node:path";
import * as ts from "typescript";

/**
 * The package's entry exports exactly this, by name: a change to the public API is a change to this list, so
 * it shows in review. Runtime values and types alike (the TypeScript checker reads constructs/index.ts).
 */
const PUBLIC_API = [
  "CustomProductOptions (interface)",
  "EndpointOptIns (interface)",
  "EntitlementDesiredStatus (enum)",
  "ExistingFortiFlexConfigurationProps (interface)",
  "ExistingFortiFlexVmEntitlementProps (interface)",
  "FortiAnalyzerAddon (value, type)",
  "FortiAnalyzerVmProps (interface)",
  "FortiFlexConfiguration (class)",
  "FortiFlexConfigurationProps (interface)",
  "FortiFlexEndpoints (interface)",
  "FortiFlexParameter (interface)",
  "FortiFlexProduct (class)",
  "FortiFlexVmEntitlement (class)",
  "FortiFlexVmEntitlementProps (interface)",
  "FortiGateArchitecture (enum)",
  "FortiGateBundleCloudService (value, type)",
  "FortiGateBundleFortiGuardService (value, type)",
  "FortiGateBundleSupportService (value, type)",
  "FortiGateExistingNetworkProps (interface)",
  "FortiGateExistingSubnet (interface)",
  "FortiGateFortiFlexProps (interface)",
  "FortiGateHaExistingNetworkProps (interface)",
  "FortiGateHaNetworkProps (interface)",
  "FortiGateHaPair (class)",
  "FortiGateHaPairProps (interface)",
  "FortiGateHaPairWithFortiFlex (class)",
  "FortiGateHaPairWithFortiFlexProps (interface)",
  "FortiGateHaUnit (interface)",
  "FortiGateLcsCloudService (value, type)",
  "FortiGateLcsFortiGuardService (value, type)",
  "FortiGateLcsSupportService (value, type)",
  "FortiGateLicense (class)",
  "FortiGateMarketplaceOffer (enum)",
  "FortiGateNewNetworkProps (interface)",
  "FortiGateOptions (interface)",
  "FortiGatePublicPort (interface)",
  "FortiGateServicePackage (value, type)",
  "FortiGateVm (class)",
  "FortiGateVmBundleProps (interface)",
  "FortiGateVmLcsProps (interface)",
  "FortiGateVmProps (interface)",
  "FortiGateWithFortiFlex (class)",
  "FortiGateWithFortiFlexProps (interface)",
  "FortiManagerProps (interface)",
  "FortiManagerVmProps (interface)",
  "FortiOsVersion (enum)",
  "FortiWebServicePackage (value, type)",
  "FortiWebVmProps (interface)",
  "IFortiFlexConfiguration (interface)",
  "IFortiFlexVmEntitlement (interface)",
  "LifecycleResourceType (enum)",
  "MarketplaceImage (interface)",
  "ProductForm (type)",
  "ProductProblem (interface)",
  "ResolvedFortiFlexEndpoints (interface)",
  "ValidationError (class)",
  "fortiGateByolImage (function)",
  "buildCustomerStacks (function)",
  "Customer (type)",
  "CustomersFileError (class)",
  "CustomerStack (class)",
  "CustomerStackProps (interface)",
  "FLEET_CUSTOMERS_FILE (value)",
  "FleetSynthOptions (interface)",
  "FortiFlexRetirement (class)",
  "FortiFlexRetirementProps (interface)",
  "loadCustomersFile (function)",
  "parseCustomers (function)",
  "synthesizeFleet (function)",
];

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.Variable) return f & ts.SymbolFlags.TypeAlias ? "value, type" : "value";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  return "other";
}

const ENTRY = path.join(__dirname, "..", "..", "constructs", "index.ts");

/** The entry's exports, through a type checker. */
function entryExports(): { checker: ts.TypeChecker; exports: ts.Symbol[] } {
  const program = ts.createProgram([ENTRY], { strict: true, skipLibCheck: true, noResolve: false, types: [] });
  const checker = program.getTypeChecker();
  return { checker, exports: checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!) };
}

/** Every name constructs/index.ts exports, with what it is. */
function exportsOfEntry(): string[] {
  const { checker, exports } = entryExports();
  return exports
    .map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return `${s.name} (${kindOf(target)})`;
    })
    .sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }) || a.localeCompare(b));
}

test("the package's entry exports exactly the documented API, by name", () => {
  const sorted = [...PUBLIC_API].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }) || a.localeCompare(b));
  expect(exportsOfEntry()).toEqual(sorted);
  expect(PUBLIC_API.length).toBe(69);
});

/**
 * TypeDoc requires a comment on every exported declaration but properties: a customer's fields are inferred from
 * the customers file's schemas, whose descriptions live in the schemas (and the JSON Schema made from them). The
 * props and options interfaces are written by hand: each of their properties is documented, checked here.
 */
test("every property of an exported interface has a doc comment", () => {
  const { checker, exports } = entryExports();
  const undocumented: string[] = [];
  for (const s of exports) {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    if (!(target.flags & ts.SymbolFlags.Interface)) continue;
    for (const member of checker.getDeclaredTypeOfSymbol(target).getProperties()) {
      if (!member.getDocumentationComment(checker).length && !ts.getJSDocTags(member.declarations![0]).length) undocumented.push(`${s.name}.${member.name}`);
    }
  }
  expect(undocumented).toEqual([]);
  expect(exports.length).toBeGreaterThan(60);
});

test("the entry re-exports by name only: no `export *` can leak a helper into the API", () => {
  const text = require("node:fs").readFileSync(path.join(__dirname, "..", "..", "constructs", "index.ts"), "utf8") as string;
  expect(text).toMatch(/^export \{/m);
  expect(text).not.toMatch(/export \*/);
});
