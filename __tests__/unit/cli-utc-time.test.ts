import { utcTime } from "../../cli/utc-time";

describe("times printed by the CLI: ISO 8601 in UTC, to the second", () => {
  test("an offset, with FortiFlex's seven fraction digits (a stopped entitlement's end)", () => {
    expect(utcTime("2026-12-07T06:37:21.5580000-08:00")).toBe("2026-12-07T14:37:21Z");
    expect(utcTime("2025-08-07T15:04:32.6531463-07:00")).toBe("2025-08-07T22:04:32Z");
    expect(utcTime("2025-08-07T15:04:32+0530")).toBe("2025-08-07T09:34:32Z");
    expect(utcTime("2025-08-07T15:04:32.9Z")).toBe("2025-08-07T15:04:32Z");
  });

  test("no zone: Pacific time, standard in winter and daylight in summer", () => {
    expect(utcTime("2029-12-06T00:00:00")).toBe("2029-12-06T08:00:00Z");
    expect(utcTime("2025-08-06T10:36:29.723")).toBe("2025-08-06T17:36:29Z");
    expect(utcTime("2020-08-25 10:12:25")).toBe("2020-08-25T17:12:25Z");
    expect(utcTime("2026-11-06")).toBe("2026-11-06T08:00:00Z");
    // Either side of the spring change (2026-03-08 02:00 PST becomes 03:00 PDT).
    expect(utcTime("2026-03-08T01:59:59")).toBe("2026-03-08T09:59:59Z");
    expect(utcTime("2026-03-08T03:00:00")).toBe("2026-03-08T10:00:00Z");
  });

  test("nothing, or a shape not seen before: empty, or as written", () => {
    expect(utcTime(null)).toBe("");
    expect(utcTime("")).toBe("");
    expect(utcTime("next Tuesday")).toBe("next Tuesday");
    expect(utcTime("2026-02-30T00:00:00")).toBe("2026-02-30T00:00:00");
  });
});
