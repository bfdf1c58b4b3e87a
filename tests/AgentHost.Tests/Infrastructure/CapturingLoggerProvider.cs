using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Infrastructure;

/// <summary>Every log line a host writes, exceptions and scopes included, for tests of what is (not) logged.</summary>
public sealed class CapturingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        logs.Enqueue($"scope: {state}");
        return null;
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        logs.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");

    public void Dispose()
    {
    }
}
