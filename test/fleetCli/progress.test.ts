import assert from "node:assert/strict";
import { ProgressReporter, duration } from "../../provider/cli/progress";
import { recordingStream } from "./cliHarness";

describe("the progress line of plume-fleet", () => {
  function reporter(isTTY: boolean, enabled = true) {
    let now = 1_000;
    const stream = recordingStream(isTTY);
    const progress = new ProgressReporter({
      label: "export",
      unit: "customers",
      total: 2_000,
      stream,
      now: () => now,
      enabled,
      minIntervalMs: 250,
    });
    return { progress, stream, advanceClock: (ms: number) => (now += ms) };
  }

  it("shows done/total, the rate and the ETA computed from the injected clock", () => {
    const { progress, stream, advanceClock } = reporter(true);
    advanceClock(100_000);
    progress.advance(600);

    assert.equal(stream.text, "\rexport: 600/2,000 customers (30%), 6.0/s, ETA 3m 53s\u001b[K");
  });

  it("redraws at most once per interval, however many customers finish in it", () => {
    const { progress, stream, advanceClock } = reporter(true);
    advanceClock(1_000);
    for (let index = 0; index < 50; index++) progress.advance();
    advanceClock(250);
    progress.advance();

    assert.equal(stream.text.split("\r").length - 1, 2);
    assert.match(stream.text, /51\/2,000 customers/);
  });

  it("ends with the total and the time taken, on a line of its own", () => {
    const { progress, stream, advanceClock } = reporter(true);
    advanceClock(125_000);
    progress.advance(2_000);
    progress.finish();

    assert.ok(
      stream.text.endsWith("\rexport: 2,000/2,000 customers (100%), done in 2m 05s\u001b[K\n"),
      stream.text,
    );
  });

  it("writes nothing when the stream is not a terminal", () => {
    const { progress, stream, advanceClock } = reporter(false);
    advanceClock(1_000);
    progress.advance(10);
    progress.finish();

    assert.equal(stream.text, "");
  });

  it("writes nothing on a terminal when disabled, as for --json", () => {
    const { progress, stream, advanceClock } = reporter(true, false);
    advanceClock(1_000);
    progress.advance(10);
    progress.finish();

    assert.equal(stream.text, "");
  });

  it("clears its line when the work fails, and passes the failure on", async () => {
    const { progress, stream, advanceClock } = reporter(true);
    advanceClock(1_000);
    progress.advance();

    await assert.rejects(progress.track(Promise.reject(new Error("boom"))), /boom/);
    assert.ok(stream.text.endsWith("\r\u001b[K"));
  });

  for (const [seconds, shown] of [
    [45, "45s"],
    [125, "2m 05s"],
    [3_720, "1h 02m"],
  ] as const) {
    it(`writes ${seconds} seconds as ${shown}`, () => {
      assert.equal(duration(seconds), shown);
    });
  }
});
