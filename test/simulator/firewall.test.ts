import assert from "node:assert/strict";
import { ManualClock, oauthToken, send, useSimulator, type HttpResult } from "./support";

const LIMIT = 5;
const WINDOW_MS = 10_000;

describe("simulator: firewall", () => {
  let clock: ManualClock;
  const sim = useSimulator(() => {
    clock = new ManualClock();
    return {
      now: clock.now,
      firewall: { limit: LIMIT, windowMs: WINDOW_MS },
      tokenTtlSeconds: 86400,
      seed: { customers: [{ id: "c1", locations: [{ id: "l1" }] }] },
    };
  });
  let token: string;
  beforeEach(async () => {
    token = await oauthToken(sim.current());
  });

  const call = (localAddress?: string): Promise<HttpResult> =>
    send(`${sim.current().url}/api/Customers/c1/locations/l1`, {
      headers: { authorization: `Bearer ${token}` },
      ...(localAddress ? { localAddress } : {}),
    });
  const callTimes = async (count: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) statuses.push((await call()).status);
    return statuses;
  };
  const assertFirewall403 = (answer: HttpResult) => {
    assert.equal(answer.status, 403);
    assert.match(answer.headers["content-type"] ?? "", /^text\/html/);
    assert.equal(answer.json, undefined, "the firewall's body is not JSON");
    assert.match(answer.text, /<html>/);
    assert.equal(answer.headers["retry-after"], undefined);
  };

  it("lets exactly `limit` calls through, then answers 403 with an HTML body and no Retry-After", async () => {
    assert.deepEqual(await callTimes(LIMIT), Array(LIMIT).fill(200));
    assertFirewall403(await call());
    assert.equal(sim.current().counters().firewallRejections, 1);
  });

  it("stops rejecting exactly when the first counted call leaves the window", async () => {
    await callTimes(LIMIT);
    assertFirewall403(await call());
    clock.advance(WINDOW_MS - 1);
    assertFirewall403(await call());
    clock.advance(1);
    // Everything counted at the start has left; only the rejected call at WINDOW_MS - 1 remains.
    assert.deepEqual(await callTimes(LIMIT - 1), Array(LIMIT - 1).fill(200));
    assertFirewall403(await call());
  });

  it("slides: calls free up one by one as each leaves the window", async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      assert.equal((await call()).status, 200);
      clock.advance(1000);
    }
    // Calls were counted at 0, 1000, ..., 4000; each frees one slot exactly WINDOW_MS after it came.
    clock.advance(WINDOW_MS - LIMIT * 1000);
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await call()).status, 200, `the call at ${i * 1000} has left`);
      clock.advance(1000);
    }
    clock.advance(-1);
    // Now 12999: the window holds 3000, 4000, 10000, 11000 and 12000.
    assertFirewall403(await call());
  });

  it("counts rejected calls too, so hammering while blocked keeps the block", async () => {
    await callTimes(LIMIT);
    clock.advance(WINDOW_MS / 2);
    for (let i = 0; i < LIMIT; i += 1) assertFirewall403(await call());
    clock.advance(WINDOW_MS / 2);
    assertFirewall403(await call());
    clock.advance(WINDOW_MS / 2);
    assert.equal((await call()).status, 200);
  });

  it("counts only calls it let through when countRejected is off", async () => {
    sim.current().faults.setFirewall({ countRejected: false });
    await callTimes(LIMIT);
    clock.advance(WINDOW_MS / 2);
    for (let i = 0; i < LIMIT; i += 1) assertFirewall403(await call());
    clock.advance(WINDOW_MS / 2);
    assert.equal((await call()).status, 200);
  });

  it("counts every API call whatever its outcome: 401, 404 and logins included", async () => {
    const url = sim.current().url;
    assert.equal((await send(`${url}/api/Customers/c1/locations/l1`)).status, 401);
    assert.equal(
      (
        await send(`${url}/api/Customers/c1/locations/nope`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
      404,
    );
    assert.equal(
      (await send(`${url}/api/Customers/login`, { method: "POST", body: { email: "x", password: "y" } }))
        .status,
      401,
    );
    assert.equal((await send(`${url}/api/Nodes`)).status, 404);
    assert.equal((await call()).status, 200);
    assertFirewall403(await call());
    assertFirewall403(await send(`${url}/api/Customers/login`, { method: "POST", body: {} }));
  });

  it("does not count the token endpoint or the control surface", async () => {
    await callTimes(LIMIT);
    for (let i = 0; i < 3; i += 1) assert.equal(typeof (await oauthToken(sim.current())), "string");
    assert.equal((await send(`${sim.current().controlUrl}/counters`)).status, 200);
    clock.advance(WINDOW_MS);
    assert.deepEqual(await callTimes(LIMIT), Array(LIMIT).fill(200));
  });

  it("keeps a window per client IP", async () => {
    await callTimes(LIMIT);
    assertFirewall403(await call());
    assert.equal((await call("127.0.0.2")).status, 200);
    assert.equal(sim.current().requestLog().at(-1)!.ip, "127.0.0.2");
  });

  it("stays distinguishable from LoopBack's own 403", async () => {
    const loopback = await send(`${sim.current().url}/api/Customers/c1/locations/l1`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}` },
      body: { serviceId: "S", profile: "property" },
    });
    assert.equal(loopback.status, 403);
    assert.match(loopback.headers["content-type"] ?? "", /^application\/json/);
    assert.equal(loopback.json.error.statusCode, 403);
  });

  it("takes new limits at run time and keeps what it already counted", async () => {
    await callTimes(3);
    sim.current().faults.setFirewall({ limit: 3 });
    assertFirewall403(await call());
    sim.current().faults.setFirewall({ limit: 10, windowMs: 1000 });
    clock.advance(1000);
    assert.deepEqual(await callTimes(10), Array(10).fill(200));
  });

  it("forgets its window and limits on faults.clear()", async () => {
    sim.current().faults.setFirewall({ limit: 1 });
    await callTimes(1);
    assertFirewall403(await call());
    sim.current().faults.clear();
    assert.deepEqual(await callTimes(LIMIT), Array(LIMIT).fill(200));
    assertFirewall403(await call());
  });

  it("records accepted and rejected call times in ms since start", async () => {
    clock.advance(250);
    await callTimes(LIMIT);
    clock.advance(750);
    await callTimes(2);
    const times = sim.current().callTimes();
    assert.deepEqual(times.accepted, Array(LIMIT).fill(250));
    assert.deepEqual(times.rejected, [1000, 1000]);
    assert.deepEqual(times.firewall, { limit: LIMIT, windowMs: WINDOW_MS });
    assert.equal(times.truncated, false);
    sim.current().resetCounters();
    assert.deepEqual(sim.current().callTimes().accepted, []);
    clock.advance(5);
    await call();
    assert.deepEqual(sim.current().callTimes().rejected, [5], "times count from the reset");
  });
});
