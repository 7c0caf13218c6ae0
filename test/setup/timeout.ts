// Integration tests drive real servers while other suites run beside them: allow each test two
// minutes before jest calls it hung. (`testTimeout` is a global option; this is per project.)
jest.setTimeout(120_000);
