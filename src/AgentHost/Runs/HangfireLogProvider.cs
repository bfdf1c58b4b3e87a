using Hangfire.Logging;

namespace AgentHost.Runs;

/// <summary>
/// Hangfire's log provider is process-wide while loggers belong to a host. This one keeps working when
/// the host that configured it has been disposed (a restart in the same process, parallel test hosts):
/// it then drops Hangfire's messages instead of throwing inside Hangfire's workers.
/// </summary>
public sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    public ILog GetLogger(string name) => new ForwardingLog(loggers, name);

    private sealed class ForwardingLog(ILoggerFactory loggers, string name) : ILog
    {
        private Microsoft.Extensions.Logging.ILogger? _logger;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = _logger ??= loggers.CreateLogger(name);
                var level = logLevel switch
                {
                    Hangfire.Logging.LogLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
                    Hangfire.Logging.LogLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
                    Hangfire.Logging.LogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                    Hangfire.Logging.LogLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                    Hangfire.Logging.LogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                    _ => Microsoft.Extensions.Logging.LogLevel.Critical,
                };
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

#pragma warning disable CA1848, CA2254 // Hangfire hands over finished messages; there is no template to keep.
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
