/** FortiFlex endpoints a construct's handler talks to. Synth never reads them from the environment. */
export interface FortiFlexEndpoints {
  /** @default https://support.fortinet.com/ES/api/fortiflex/v2/ */
  readonly apiUrl?: string;
  /** @default https://customerapiauth.fortinet.com/api/v1/oauth/token/ */
  readonly authUrl?: string;
  /**
   * Allow a host other than Fortinet's documented FortiFlex hosts (support.fortinet.com,
   * customerapiauth.fortinet.com) or loopback (the simulator): the handler then sends the FortiFlex credentials
   * there. Without it such endpoints are a synth error, and the handler refuses them. @default false
   */
  readonly allowNonFortinetHost?: boolean;
  /**
   * Let a stack applied with other endpoints move to these: every entitlement and configuration of the stack is
   * then stopped or disabled at the old endpoints and made anew at these (the plan shows it). Without it such a
   * plan fails, naming the old and the new endpoints. Set on any construct of a stack, it allows the change for
   * the whole stack. @default false
   */
  readonly allowEndpointChange?: boolean;
}

/** What the code allows for a construct's endpoints. */
export interface EndpointOptIns {
  /** The endpoints may be hosts other than Fortinet's or loopback (see `FortiFlexEndpoints`). @default false */
  readonly allowNonFortinetHost?: boolean;
  /** The stack may move from the endpoints it was applied with to these (see `FortiFlexEndpoints`). @default false */
  readonly allowEndpointChange?: boolean;
}

/** The endpoints a construct's handler talks to, resolved at synth, with what the code allows for them. */
export interface ResolvedFortiFlexEndpoints extends EndpointOptIns {
  /** FortiFlex API base URL. */
  readonly apiUrl: string;
  /** OAuth token URL the handler gets its API token from. */
  readonly authUrl: string;
}
