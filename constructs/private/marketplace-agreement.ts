import type { Construct } from "constructs";
import { MarketplaceAgreement } from "@cdktf/provider-azurerm/lib/marketplace-agreement";
import type { FortiGateSettings } from "./fortigate-settings";

/** The Marketplace terms for the image, when the user asks this stack to accept them. */
export function marketplaceAgreement(scope: Construct, settings: FortiGateSettings): MarketplaceAgreement[] {
  if (!settings.acceptMarketplaceTerms) return [];
  const { image } = settings;
  return [new MarketplaceAgreement(scope, "MarketplaceAgreement", { publisher: image.publisher, offer: image.offer, plan: image.sku })];
}
