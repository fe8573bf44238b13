import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { parseEther, parseEventLogs, getAddress } from "viem";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { accounts, deployWithValidators, processUntilDone, type Conn } from "../helpers/fixtures.js";

const conn = (await network.create()) as unknown as Conn;
const { networkHelpers } = conn;

async function queueFixture() {
  const s = await deployWithValidators(conn, 3);
  const a = await accounts(conn);
  const [alice, bob] = a.holders;
  await s.pool.write.stake([alice.account.address], { value: parseEther("100"), account: alice.account });
  await s.withdrawalQueue.write.requestWithdrawal([parseEther("12.5"), alice.account.address], { account: alice.account });
  return { ...s, a, alice, bob, id: 1n };
}

const processRound = (s: Awaited<ReturnType<typeof queueFixture>>) => processUntilDone(s, s.a.operator);

/** Decodes a `data:<mime>;base64,` URI, failing on any other form. */
function decodeDataUri(uri: string, mime: string) {
  const prefix = `data:${mime};base64,`;
  assert.ok(uri.startsWith(prefix), `a ${mime} base64 data URI`);
  const body = uri.slice(prefix.length);
  assert.match(body, /^[A-Za-z0-9+/]*={0,2}$/, "strict base64");
  return Buffer.from(body, "base64").toString("utf8");
}

function metadata(uri: string) {
  const json = JSON.parse(decodeDataUri(uri, "application/json")) as {
    name: string;
    description: string;
    image: string;
    attributes: { trait_type: string; value: string | number; display_type?: string }[];
  };
  const svg = decodeDataUri(json.image, "image/svg+xml");
  return { json, svg };
}

describe("withdrawal receipts", () => {
  it("tokenURI decodes to valid JSON whose image is valid SVG showing the amount, status and date", async () => {
    const s = await networkHelpers.loadFixture(queueFixture);
    const { json, svg } = metadata(await s.withdrawalQueue.read.tokenURI([s.id]));
    assert.equal(json.name, "Withdrawal #1");
    const trait = (t: string) => json.attributes.find((x) => x.trait_type === t)?.value;
    assert.equal(trait("Status"), "Pending");
    const currency = await s.withdrawalQueue.read.currency();
    assert.equal(currency, "S", "the devnet's parameters are Sonic's");
    assert.equal(trait(`Amount (${currency})`), "12.5");
    assert.ok(json.description.includes(`12.5 ${currency} from the liquid staking pool`), json.description);
    const [view] = await s.withdrawalQueue.read.requestStatuses([[s.id]]);
    assert.equal(trait("Expected by"), Number(view.expectedBy));
    assert.equal(trait("Requested"), Number(view.requestedAt));

    assert.equal(XMLValidator.validate(svg), true, "well-formed XML");
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(svg) as {
      svg: { "@xmlns": string; text: { "#text": string }[] | { "#text": string } };
    };
    assert.equal(doc.svg["@xmlns"], "http://www.w3.org/2000/svg", "an SVG document");
    const texts = ([] as { "#text": string }[]).concat(doc.svg.text).map((t) => String(t["#text"]));
    const date = new Date(Number(view.expectedBy) * 1000).toISOString().slice(0, 10);
    assert.deepEqual(texts, ["Withdrawal #1", `12.5 ${currency}`, "Pending", `Due: ${date}`]);

    await processRound(s);
    const after = metadata(await s.withdrawalQueue.read.tokenURI([s.id]));
    assert.equal(after.json.attributes.find((x) => x.trait_type === "Status")?.value, "Finalised");
    assert.equal(XMLValidator.validate(after.svg), true);
    assert.ok(after.svg.includes("claimable now"));
  });

  it("reports the ERC-721, ERC-721 metadata and ERC-165 interface ids", async () => {
    const s = await networkHelpers.loadFixture(queueFixture);
    for (const id of ["0x80ac58cd", "0x5b5e139f", "0x01ffc9a7"] as const) {
      assert.equal(await s.withdrawalQueue.read.supportsInterface([id]), true, id);
    }
    assert.equal(await s.withdrawalQueue.read.supportsInterface(["0xffffffff"]), false);
  });

  it("a receipt received from another wallet is listed there and pays its new holder; the events say so", async () => {
    const s = await networkHelpers.loadFixture(queueFixture);
    const pc = await conn.viem.getPublicClient();
    const { alice, bob } = s;
    await s.withdrawalQueue.write.transferFrom([alice.account.address, bob.account.address, s.id], { account: alice.account });
    assert.deepEqual(await s.withdrawalQueue.read.requestsOf([bob.account.address, 0n, 10n]), [s.id]);
    assert.deepEqual(await s.withdrawalQueue.read.requestsOf([alice.account.address, 0n, 10n]), []);
    await processRound(s);
    const before = await pc.getBalance({ address: bob.account.address });
    const hash = await s.withdrawalQueue.write.claim([[s.id], bob.account.address], { account: bob.account });
    const receipt = await pc.waitForTransactionReceipt({ hash });
    const after = await pc.getBalance({ address: bob.account.address });
    assert.equal(after - before + receipt.gasUsed * receipt.effectiveGasPrice, parseEther("12.5"));
    const events = parseEventLogs({ abi: s.withdrawalQueue.abi, logs: receipt.logs });
    const claimed = events.find((e) => e.eventName === "WithdrawalClaimed");
    assert.ok(claimed && claimed.eventName === "WithdrawalClaimed");
    assert.equal(claimed.args.requestId, s.id);
    assert.equal(getAddress(claimed.args.owner), getAddress(bob.account.address));
    assert.equal(claimed.args.amount, parseEther("12.5"));
    assert.ok(events.some((e) => e.eventName === "Transfer"), "the burn is an ERC-721 Transfer");
  });

  it("the deployment records the queue and links it to the pool and stFTM", async () => {
    const s = await networkHelpers.loadFixture(queueFixture);
    assert.equal(getAddress(s.record.contracts.withdrawalQueue!), getAddress(s.withdrawalQueue.address));
    assert.equal(getAddress(await s.pool.read.withdrawalQueue()), getAddress(s.withdrawalQueue.address));
    assert.equal(getAddress(await s.stFTM.read.withdrawalQueue()), getAddress(s.withdrawalQueue.address));
    assert.equal(getAddress(await s.withdrawalQueue.read.pool()), getAddress(s.pool.address));
  });
});
