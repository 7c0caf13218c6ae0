import { DomainError } from '@am/contracts';
import { CallerProofVerifier } from '@am/service-kit';
import type { AuditRepository } from '../audit/audit.repository';
import type { DirectoryConfig } from '../config/directory.config';
import { AccessReviewsService } from './access-reviews.service';
import type { AccessReviewsRepository } from './access-reviews.repository';

// A campaign without a person's proof (the yearly schedule's) is accepted on its day or the next,
// once a year, by the directory's clock; and every campaign records the directory's own policy.
describe('AccessReviewsService: the yearly campaign', () => {
  const campaign = { campaignId: '11111111-1111-4111-8111-111111111111', dueAt: '2027-01-01T00:00:00.000Z', acceptedAt: '2026-12-01T06:00:00.000Z', unreviewedPolicy: 'remove' as const };

  function service(o: { on: string; policy?: 'keep' | 'remove'; now: string; last?: Date }) {
    const created: unknown[] = [];
    const repo = {
      findCampaign: jest.fn(async () => null),
      lastYearlyCampaign: jest.fn(async () => (o.last ? { id: 'c-last', createdAt: o.last } : null)),
      inTransaction: jest.fn(async (fn: (tx: unknown) => Promise<unknown>) => fn({})),
      createCampaign: jest.fn(async (c: unknown) => {
        created.push(c);
        return 3;
      }),
    } as unknown as AccessReviewsRepository;
    const audit = { append: jest.fn(async () => undefined) } as unknown as AuditRepository;
    const config = { ACCESS_REVIEW_YEARLY_ON: o.on, ACCESS_REVIEW_UNREVIEWED: o.policy ?? 'keep' } as DirectoryConfig;
    const svc = new AccessReviewsService(repo, audit, new CallerProofVerifier({ keys: [] }), config, { now: () => new Date(o.now) });
    // The view after recording is not what these tests are about.
    jest.spyOn(svc as unknown as { campaignView: () => Promise<unknown> }, 'campaignView').mockResolvedValue({});
    (repo.findCampaign as jest.Mock).mockResolvedValueOnce(null).mockResolvedValue({ id: campaign.campaignId });
    return { svc, created };
  }

  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)));

  it('opens on its day and the next (UTC), recording the directory’s policy, not the input’s', async () => {
    for (const now of ['2026-12-01T05:00:00Z', '2026-12-02T23:59:59Z']) {
      const { svc, created } = service({ on: '12-01', now });
      expect(await refusal(svc.openCampaign(campaign))).toBeUndefined();
      expect(created).toEqual([expect.objectContaining({ startedById: null, policy: 'keep' })]);
    }
  });

  it('is refused on another day, when off, and a second time in a year', async () => {
    expect(await refusal(service({ on: '12-01', now: '2026-11-30T23:59:59Z' }).svc.openCampaign(campaign))).toMatch(/^FORBIDDEN: The yearly access review runs on 12-01/);
    expect(await refusal(service({ on: '12-01', now: '2026-12-03T00:00:00Z' }).svc.openCampaign(campaign))).toMatch(/^FORBIDDEN: The yearly access review runs on 12-01/);
    expect(await refusal(service({ on: 'off', now: '2026-12-01T06:00:00Z' }).svc.openCampaign(campaign))).toMatch(/^FORBIDDEN: No yearly access review is configured/);
    expect(await refusal(service({ on: '12-01', now: '2026-12-01T06:00:00Z', last: new Date('2026-12-01T05:00:00Z') }).svc.openCampaign(campaign))).toMatch(/^FORBIDDEN: This year's access review campaign was started already/);
    // A year on, it opens again.
    expect(await refusal(service({ on: '12-01', now: '2027-12-01T06:00:00Z', last: new Date('2026-12-01T05:00:00Z') }).svc.openCampaign({ ...campaign, dueAt: '2028-01-01T00:00:00Z', acceptedAt: '2027-12-01T06:00:00Z' }))).toBeUndefined();
  });

  it('a campaign with a person but no valid proof is refused before anything is read', async () => {
    const { svc, created } = service({ on: '12-01', now: '2026-12-01T06:00:00Z' });
    expect(await refusal(svc.openCampaign({ ...campaign, startedById: '22222222-2222-4222-8222-222222222222', proof: 'forged' }))).toMatch(/^UNAUTHENTICATED/);
    expect(created).toEqual([]);
  });
});
