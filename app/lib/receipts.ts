import { WithdrawalQueueRequestStatus as RequestStatus } from "../../shared/protocol.generated";

export { RequestStatus };

/** What the app calls each status of a withdrawal receipt (\`WithdrawalQueue.RequestStatus\`). */
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  [RequestStatus.None]: "Unknown",
  [RequestStatus.Pending]: "Pending",
  [RequestStatus.Finalised]: "Ready to claim",
  [RequestStatus.Claimed]: "Claimed",
};

/** The on-chain metadata of a withdrawal receipt (`WithdrawalQueue.tokenURI`): JSON in a base64 data URI. */
export type ReceiptMetadata = {
  name: string;
  description: string;
  image: string; // data:image/svg+xml;base64,…
  attributes: { trait_type: string; value: string | number; display_type?: string }[];
};

const PREFIX = "data:application/json;base64,";

/** Decodes `tokenURI`; throws with a plain message when the contract returned something else. */
export function decodeReceiptMetadata(uri: string): ReceiptMetadata {
  if (!uri.startsWith(PREFIX)) throw new Error("The receipt's metadata is not a base64 JSON data URI.");
  const bytes = Uint8Array.from(atob(uri.slice(PREFIX.length)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as ReceiptMetadata;
}
