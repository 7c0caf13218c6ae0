import { submittedRequestId } from './role-request-workflows.service';

describe('submittedRequestId', () => {
  const cmd = { requesterId: 'a0000000-0000-4000-8000-000000000001', organizationId: 'b0000000-0000-4000-8000-000000000002', role: 'STAFF_USER' as const, submissionId: 'c0000000-0000-5000-8000-000000000003' };

  it('names the same request for every retry of one submission', () => {
    expect(submittedRequestId(cmd)).toBe(submittedRequestId({ ...cmd }));
    expect(submittedRequestId(cmd)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is bound to the requester, the organization and the role: a chosen submissionId cannot name another person’s request', () => {
    const ids = new Set([
      submittedRequestId(cmd),
      submittedRequestId({ ...cmd, requesterId: 'a0000000-0000-4000-8000-000000000009' }),
      submittedRequestId({ ...cmd, organizationId: 'b0000000-0000-4000-8000-000000000009' }),
      submittedRequestId({ ...cmd, role: 'SECURITY_OFFICIAL' }),
      submittedRequestId({ ...cmd, submissionId: 'c0000000-0000-5000-8000-000000000009' }),
    ]);
    expect(ids.size).toBe(5);
    // The submission id itself is never the request's id.
    expect(ids.has(cmd.submissionId)).toBe(false);
  });
});
