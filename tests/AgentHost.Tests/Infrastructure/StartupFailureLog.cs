using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Infrastructure;

/// <summary>Keeps the first exception the host logs as an error: the cause of a failed start.</summary>
internal sealed class StartupFailureLog : ILoggerProvider
{
    private Exception? _first;

    public Exception? First => Volatile.Read(ref _first);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(StartupFailureLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
            {
                Interlocked.CompareExchange(ref log._first, exception, null);
            }
        }
    }
}
