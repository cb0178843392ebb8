import { describe, expect, it } from "vitest";
import { condition, evaluateExpression, interpolate } from "./helpers/workflow-expressions.ts";

const context = {
  contexts: {
    inputs: { root: ".", setup: "" },
    needs: { plan: { result: "success", outputs: { "has-runs": "true", chunks: '[{"first":1}]' } } },
    github: { event_name: "pull_request", event: { action: "labeled", label: null } },
  },
  succeeded: true,
};

describe("the test's workflow expression evaluator", () => {
  it("evaluates what the workflows use, as GitHub does", () => {
    expect(evaluateExpression("needs.plan.outputs.has-runs == 'TRUE'", context)).toBe(true);
    expect(evaluateExpression("github.event.label.name == 'x' || inputs.root", context)).toBe(".");
    expect(interpolate("${{ fromJSON(needs.plan.outputs.chunks) }}", context)).toEqual([{ first: 1 }]);
    expect(interpolate("root ${{ inputs.root }}/x", context)).toBe("root ./x");
    expect(condition("inputs.setup != ''", context)).toBe(false);
    expect(
      condition("always() && needs.plan.outputs.has-runs == 'true'", { ...context, succeeded: false }),
    ).toBe(true);
    expect(condition("needs.plan.outputs.has-runs == 'true'", { ...context, succeeded: false })).toBe(false);
  });

  it("refuses what it does not understand instead of guessing", () => {
    expect(() => evaluateExpression("secrets.TOKEN", context)).toThrow("context secrets not available");
    expect(() => evaluateExpression("contains(inputs.root, '.')", context)).toThrow("function contains()");
    expect(() => evaluateExpression("inputs.root > 1", context)).toThrow("not understood");
  });
});
