import { AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { ExternalProvider } from "@cdktf/provider-external/lib/provider";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { DEFAULT_API_URL, DEFAULT_AUTH_URL } from "../custom-provider/settings";
import { handlerBundlePath } from "./handler-bundle";

const RUNTIME_ID = "FortiFlexRuntime";

/**
 * Per-stack shared parts of the FortiFlex custom resources: the handler file shipped into the stack
 * directory as an asset, and the null and external providers, created only when something needs them.
 */
export class FortiFlexRuntime extends Construct {
  /** The stack's runtime, created on first use. */
  static of(scope: IConstruct): FortiFlexRuntime {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(RUNTIME_ID) as FortiFlexRuntime | undefined) ?? new FortiFlexRuntime(stack, RUNTIME_ID);
  }

  /** Argument list that runs the handler, relative to the stack directory (where Terraform runs). */
  readonly handlerArgs: string[];

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const asset = new TerraformAsset(this, "Handler", { path: handlerBundlePath(), type: AssetType.FILE });
    this.handlerArgs = ["node", `\${path.module}/${asset.path}`];
  }

  /** The null provider of the stack (the user's own if declared, else one added here). */
  useNullProvider(): void {
    const stack = TerraformStack.of(this);
    if (!findProvider(stack, NullProvider)) new NullProvider(stack, "fortiflex-null");
  }

  /** The external provider of the stack (the user's own if declared, else one added here). */
  useExternalProvider(): void {
    const stack = TerraformStack.of(this);
    if (!findProvider(stack, ExternalProvider)) new ExternalProvider(stack, "fortiflex-external");
  }
}

function findProvider(stack: TerraformStack, type: abstract new (...args: never[]) => unknown): unknown {
  return stack.node.findAll().find((c) => c instanceof type);
}

/** FortiFlex endpoints a construct's handler talks to. */
export interface FortiFlexEndpoints {
  /** @default $FORTIFLEX_API_URL at synth, else https://support.fortinet.com/ES/api/fortiflex/v2/ */
  readonly apiUrl?: string;
  /** @default $FORTIFLEX_AUTH_URL at synth, else https://customerapiauth.fortinet.com/api/v1/oauth/token/ */
  readonly authUrl?: string;
}

/** The endpoints a construct's handler talks to, resolved at synth. */
export interface ResolvedFortiFlexEndpoints {
  readonly apiUrl: string;
  readonly authUrl: string;
}

export function resolveEndpoints(endpoints: FortiFlexEndpoints | undefined): ResolvedFortiFlexEndpoints {
  return {
    apiUrl: endpoints?.apiUrl ?? (process.env.FORTIFLEX_API_URL || DEFAULT_API_URL),
    authUrl: endpoints?.authUrl ?? (process.env.FORTIFLEX_AUTH_URL || DEFAULT_AUTH_URL),
  };
}
