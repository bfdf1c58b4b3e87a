// Hosts, emulator bootstraps and waiting live in one folder; every test may use them without a using.
global using AgentHost.Tests.Infrastructure;
