import { describe, expect, it } from "vitest";
import { readRequesterTrailers, withRequesterTrailer } from "../core/commands/requester-trailer.ts";
import { findRequesters } from "../core/promotion/find-requesters.ts";

const APP_EMAIL = "41898282+modelci[bot]@users.noreply.github.com";

describe("requester trailers", () => {
  it("writes one trailer paragraph and reads it back", () => {
    const message = withRequesterTrailer(
      "Promote weather 2 to staging\n\nRequested by @alice in #4.\n",
      "alice",
    );
    expect(message).toBe(
      "Promote weather 2 to staging\n\nRequested by @alice in #4.\n\nModelci-Requested-By: alice",
    );
    expect(readRequesterTrailers(message)).toEqual(["alice"]);
    expect(readRequesterTrailers("Requested by @alice in #4.")).toEqual([]);
  });

  it("reads them only from the pull request author's own verified commits, when that author is an App", () => {
    const trailer = withRequesterTrailer("Promote", "alice");
    const commits = [
      { message: trailer, authorEmail: APP_EMAIL, verified: true },
      { message: withRequesterTrailer("x", "bob"), authorEmail: APP_EMAIL, verified: false },
      { message: withRequesterTrailer("x", "carol"), authorEmail: "carol@example.com", verified: true },
      {
        message: withRequesterTrailer("x", "dave"),
        authorEmail: "1+other[bot]@users.noreply.github.com",
        verified: true,
      },
    ];
    expect(findRequesters("modelci[bot]", commits)).toEqual(["alice"]);
    expect(findRequesters("alice", commits)).toEqual([]);
  });
});
