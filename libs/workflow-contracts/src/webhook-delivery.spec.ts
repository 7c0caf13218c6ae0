import { webhookDeliveryWorkflowId, webhookRetryDelayMs } from './webhook-delivery';

describe('webhook delivery retry pace (issue 20)', () => {
  const policy = { initialIntervalMs: 10_000, maximumIntervalMs: 6 * 3600_000 };

  it('doubles from the initial interval, as the workflow’s Temporal retry policy does, up to the maximum', () => {
    expect([1, 2, 3, 4].map((n) => webhookRetryDelayMs(policy, n))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(webhookRetryDelayMs(policy, 30)).toBe(6 * 3600_000);
  });

  it('retries for 3 days in about 20 attempts at the defaults', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed + webhookRetryDelayMs(policy, attempts) <= 3 * 24 * 3600_000) elapsed += webhookRetryDelayMs(policy, attempts++);
    expect(attempts).toBeGreaterThanOrEqual(18);
    expect(attempts).toBeLessThanOrEqual(24);
  });

  it('names each run of a delivery apart, so a redelivery is a workflow of its own', () => {
    expect(webhookDeliveryWorkflowId('d', 1)).not.toBe(webhookDeliveryWorkflowId('d', 2));
  });
});
