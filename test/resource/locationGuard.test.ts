// The same-location guard, on its own (the host-driven test is in lifecycle.test.ts).
import assert from "node:assert/strict";
import { LocationGuard } from "../../provider/core/locationGuard";

describe("the same-location guard", function () {
  it("claims a location declared by a resource of this deployment", function () {
    const guard = new LocationGuard();
    guard.recordDeclared("c1/l1");
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), true);
    assert.equal(guard.isClaimedInThisDeployment("c1/l2"), false);
  });

  it("keeps a declared location claimed when a write of it fails", async function () {
    const guard = new LocationGuard();
    guard.recordDeclared("c1/l1");
    await assert.rejects(guard.recordWrite("c1/l1", () => Promise.reject(new Error("PATCH failed"))));
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), true);
  });

  it("remembers a location once a write of it starts", async function () {
    const guard = new LocationGuard();
    let finishWrite: () => void = () => undefined;
    const write = guard.recordWrite("c1/l1", () => new Promise<void>((resolve) => (finishWrite = resolve)));
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), true);
    finishWrite();
    await write;
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), true);
    assert.equal(guard.isClaimedInThisDeployment("c1/l2"), false);
  });

  it("forgets a location whose only write failed, and passes the error on", async function () {
    const guard = new LocationGuard();
    await assert.rejects(
      guard.recordWrite("c1/l1", () => Promise.reject(new Error("PATCH failed"))),
      /PATCH failed/,
    );
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), false);
  });

  it("keeps a location when one of two writes failed", async function () {
    const guard = new LocationGuard();
    await guard.recordWrite("c1/l1", async () => "ok");
    await assert.rejects(guard.recordWrite("c1/l1", () => Promise.reject(new Error("x"))));
    assert.equal(guard.isClaimedInThisDeployment("c1/l1"), true);
  });
});
