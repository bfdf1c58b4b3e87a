using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentHost.Tests.Host;

/// <summary>A host that fails to start says why, never just "Cannot access a disposed object".</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public void AFailedStart_SurfacesTheRealCause_NotObjectDisposed()
    {
        using var host = new FailingHost();

        var failure = Should.Throw<Exception>(() => host.CreateClient());

        failure.ShouldNotBeOfType<ObjectDisposedException>();
        failure.Message.ShouldContain(FailingService.Reason);
    }

    /// <summary>
    /// Starts only once the app has failed and disposed its host: the losing order of the race, which
    /// otherwise happens now and then (more often on a busy machine).
    /// </summary>
    private sealed class FailingHost : AgentHostFactory
    {
        private readonly DisposalSignal _disposed = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(_ => new DisposalHook(_disposed)).AddHostedService<FailingService>());
        }

        protected override IHost CreateHost(IHostBuilder builder) => base.CreateHost(new LateStartingBuilder(builder, _disposed));
    }

    private sealed class DisposalSignal
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public void Set() => _disposed.TrySetResult();
    }

    /// <summary>Made by the container, so disposed with it (an instance handed to it would not be).</summary>
    private sealed class DisposalHook(DisposalSignal signal) : IDisposable
    {
        public void Dispose() => signal.Set();
    }

    private sealed class LateStartingBuilder(IHostBuilder inner, DisposalSignal disposed) : IHostBuilder
    {
        public IDictionary<object, object> Properties => inner.Properties;

        public IHost Build()
        {
            var host = inner.Build();
            host.Services.GetRequiredService<DisposalHook>();
            return new LateStartingHost(host, disposed);
        }

        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, Microsoft.Extensions.Configuration.IConfigurationBuilder> configureDelegate) => inner.ConfigureAppConfiguration(configureDelegate);

        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => inner.ConfigureContainer(configureDelegate);

        public IHostBuilder ConfigureHostConfiguration(Action<Microsoft.Extensions.Configuration.IConfigurationBuilder> configureDelegate) => inner.ConfigureHostConfiguration(configureDelegate);

        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate) => inner.ConfigureServices(configureDelegate);

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
            where TContainerBuilder : notnull => inner.UseServiceProviderFactory(factory);

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => inner.UseServiceProviderFactory(factory);
    }

    private sealed class LateStartingHost(IHost inner, DisposalSignal disposed) : IHost
    {
        public IServiceProvider Services => inner.Services;

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            await disposed.Disposed.WaitAsync(Eventually.Budget, cancellationToken);
            await inner.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }

    private sealed class FailingService : IHostedService
    {
        public const string Reason = "the start-up failure this test planted";

        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Reason);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
