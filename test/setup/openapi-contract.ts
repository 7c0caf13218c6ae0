// Every answer of a gateway that an integration test receives is held to the OpenAPI document the
// gateway publishes (issue 16; the rules are in test/support/openapi-contract-hook.ts): global fetch
// is wrapped once here, for every test file, so no test can bypass the check.
import { checkedFetch, failOnPendingViolations } from '../support/openapi-contract-hook';

globalThis.fetch = checkedFetch(globalThis.fetch);

afterEach(() => failOnPendingViolations());
afterAll(() => failOnPendingViolations());
