namespace EfSafeMigrate.IntegrationTests.Support;

/// <summary>Tests that change process-wide environment variables: run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;
