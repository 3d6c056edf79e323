// The one way client tests wait for a call to fail.
import assert from "node:assert/strict";
import { PlumeError } from "../../provider/client";

/** Awaits `promise`, asserts that it rejects with a PlumeError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<PlumeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PlumeError, `not a PlumeError: ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}
