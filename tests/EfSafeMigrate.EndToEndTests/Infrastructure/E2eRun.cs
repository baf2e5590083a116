namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The whole test run: every test class is in this one collection (they run one after another anyway), so that
/// the packed tool and the shared two-branch repository are removed once, when the last test is done.
/// </summary>
public sealed class E2eRun : IDisposable
{
    public const string Collection = "end-to-end";

    public void Dispose()
    {
        Conflicts.TwoBranchRepo.DeleteShared();
        ToolInstallation.CleanUp();
    }
}

[CollectionDefinition(E2eRun.Collection)]
public sealed class E2eRunCollection : ICollectionFixture<E2eRun>
{
}
