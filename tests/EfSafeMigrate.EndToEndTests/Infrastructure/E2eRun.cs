namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The whole test run. Test classes run side by side (each class is its own collection; xunit.runner.json caps the
/// threads), so no collection fixture sees the end of the run: what the run shares — the packed tool and the
/// two-branch repository (with its rename clone) — is removed when the test process exits, by the handler the first user registers here.
/// A test host that is stopped instead of exiting leaves them to the next run's sweep of folders older than six hours
/// (<see cref="ToolInstallation"/>, <see cref="Conflicts.GitSandbox.DeleteStale"/>).
/// </summary>
public static class E2eRun
{
    private static int _registered;

    /// <summary>Registers <see cref="CleanUp"/> to run when the test process exits (once, however often it is called).</summary>
    public static void CleanUpAtExit()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUp();
        }
    }

    /// <summary>Deletes the shared two-branch repository (and its rename clone) and this run's tool installation (each only if it was made).</summary>
    public static void CleanUp()
    {
        Conflicts.TwoBranchRepo.DeleteShared();
        ToolInstallation.CleanUp();
    }
}

/// <summary>
/// The classes that must run alone, after the others: a class that needs the shared sample's build output unchanged
/// between two of its commands (<c>MetadataCacheTests</c>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    /// <summary>The collection's name, for <c>[Collection(RunsAloneCollection.Name)]</c>.</summary>
    public const string Name = "runs alone";
}
