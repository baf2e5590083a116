using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>
/// The squash life cycle, run once for the test class (each build of the copy costs about 15 s), in the order a team
/// lives it; the tests then assert on what each step left. On a copy of samples/Shop in a git sandbox
/// (<see cref="GitSandbox"/>, under <c>.tmp/e2e</c>):
/// <list type="number">
/// <item>Databases are prepared with the ORIGINAL migrations (EF Core's migrator, in this process): empty, and after
/// each of <c>Initial</c>, <c>AddProductSku</c> .. <c>AddOrdersDropLegacy</c> — before the range
/// <c>AddProductSku..AddOrdersDropLegacy</c> (add, rename, index, Sql inserts, create and drop), inside it after 1..4 of
/// its 5 migrations, and after it — each with a category, a product and a customer where the tables exist; plus a
/// straggler inside the range (after <c>RenameCustomerName</c>) that is never brought forward, and an empty database
/// for after the finalize.</item>
/// <item><c>squash</c> on the copy as it is (no reference to EfSafeMigrate): refused. Then the copy gets a
/// ProjectReference to src/EfSafeMigrate, and <c>squash AddProductSku AddOrdersDropLegacy</c> writes the squash.</item>
/// <item><c>squash --finalize</c> with the straggler as the DbContext's database (refused; this builds the squashed
/// project, which <c>check --build</c> then loads), with a range instead of one squash (refused), and with an
/// unreachable <c>--also-connection</c> (refused).</item>
/// <item><c>apply</c> with the squashed project on every prepared database, twice.</item>
/// <item><c>squash --finalize &lt;name&gt; --json --force</c> with the database after the range as the DbContext's, the
/// others and an unreachable one as <c>--also-connection</c>; then <c>check</c>, <c>apply</c> on the fresh database (building the finalized project),
/// on the database after the range and on the straggler, and <c>check --build</c>.</item>
/// </list>
/// A step that throws stops the scenario; the tests of the later steps then fail naming it.
/// </summary>
public sealed class SquashScenario : IDisposable
{
    /// <summary>The first migration of the squashed range (name).</summary>
    public const string From = "AddProductSku";

    /// <summary>The last migration of the squashed range (name).</summary>
    public const string To = "AddOrdersDropLegacy";

    /// <summary>Label of the database that had no migration applied.</summary>
    public const string Empty = "empty";

    /// <summary>The prepared databases' labels: <see cref="Empty"/>, then the name of the last original migration each had applied.</summary>
    public static readonly string[] Positions = [Empty, "Initial", "AddProductSku", "RenameCustomerName", "AddUniqueSkuIndex", "SeedCategories", "AddOrdersDropLegacy"];

    /// <summary>A database that cannot be reached (nothing listens on port 1), with a password that must never be printed.</summary>
    public const string Unreachable = GitSandbox.NoDatabase + ";Password=never-shown";

    private readonly StringBuilder _log = new();
    private readonly List<IDisposable> _owned = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SquashScenario()
    {
        try
        {
            Run();
        }
        catch (Exception e)
        {
            Failure = e;
            Log($"STEP '{Step}' FAILED: {e}");
        }

        Log($"scenario finished after {_clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>The copy, in a git repository (committed after the ProjectReference and after the squash).</summary>
    public GitSandbox Repo { get; private set; } = null!;

    /// <summary>The sample's migration ids.</summary>
    public IReadOnlyList<string> OriginalIds { get; } = FixtureProjects.Shop.MigrationIds;

    /// <summary>The ids of AddProductSku..AddOrdersDropLegacy.</summary>
    public IReadOnlyList<string> ReplacedIds => OriginalIds.Skip(1).ToList();

    /// <summary>The prepared databases by label (<see cref="Positions"/>).</summary>
    public Dictionary<string, SquashDatabase> Databases { get; } = new(StringComparer.Ordinal);

    /// <summary>Inside the range (after RenameCustomerName), never brought forward.</summary>
    public SquashDatabase Straggler { get; private set; } = null!;

    /// <summary>Empty until <c>apply</c> with the finalized project.</summary>
    public SquashDatabase Fresh { get; private set; } = null!;

    public string Step { get; private set; } = "start";

    public Exception? Failure { get; private set; }

    public string ScenarioLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    // ---- what the steps left ----

    public ProcessResult? SquashWithoutReference { get; private set; }

    public string? GitStatusAfterRefusedSquash { get; private set; }

    public ProcessResult? SquashResult { get; private set; }

    public string? SquashId { get; private set; }

    public ProcessResult? CheckAfterSquash { get; private set; }

    public ProcessResult? CheckBuildAfterSquash { get; private set; }

    /// <summary><c>status --graph</c> (no database reachable) once the squashed project is built, before the finalize.</summary>
    public ProcessResult? GraphAfterSquash { get; private set; }

    /// <summary><c>status --graph --json</c> at the same point.</summary>
    public ProcessResult? GraphJsonAfterSquash { get; private set; }

    public ProcessResult? FinalizeWithTwoArguments { get; private set; }

    public ProcessResult? FinalizeWithDatabaseInside { get; private set; }

    public string? GitStatusAfterFinalizeInside { get; private set; }

    public DatabaseState? StragglerBeforeFinalize { get; private set; }

    public ProcessResult? FinalizeWithUnreachableDatabase { get; private set; }

    public string? GitStatusAfterFinalizeUnreachable { get; private set; }

    /// <summary>Per label: the two <c>apply</c> runs with the squashed project and the database after each.</summary>
    public Dictionary<string, ApplyTwice> Applies { get; } = new(StringComparer.Ordinal);

    public ProcessResult? FinalizeResult { get; private set; }

    public IReadOnlyList<string>? IdsAfterFinalize { get; private set; }

    public string? SumAfterFinalize { get; private set; }

    public ProcessResult? CheckAfterFinalize { get; private set; }

    public ProcessResult? ApplyFreshAfterFinalize { get; private set; }

    public DatabaseState? FreshAfterFinalize { get; private set; }

    public ProcessResult? ApplyAfterRangeAfterFinalize { get; private set; }

    public DatabaseState? AfterRangeBeforeFinalApply { get; private set; }

    public DatabaseState? AfterRangeAfterFinalApply { get; private set; }

    public ProcessResult? ApplyStragglerAfterFinalize { get; private set; }

    public DatabaseState? StragglerAfterFinalApply { get; private set; }

    public ProcessResult? CheckBuildAfterFinalize { get; private set; }

    /// <summary>The value of a step's result; fails the test (naming the step that failed, with the log) when the scenario did not get there.</summary>
    public T Require<T>(T? value, string what)
        where T : class
        => value ?? throw new Xunit.Sdk.XunitException(
            $"The scenario did not get to {what}: step '{Step}' failed: {Failure?.Message ?? "(no exception)"}{Environment.NewLine}{ScenarioLog}");

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            try
            {
                owned.Dispose();
            }
            catch (Exception e)
            {
                Log($"cleanup: {e.Message}");
            }
        }
    }

    private void Run()
    {
        Step = "prepare databases with the original migrations";
        foreach (var label in Positions)
        {
            Databases[label] = Own(SquashDatabase.Prepare(label, label == Empty ? null : FixtureProjects.Shop.Id(label)));
        }

        Straggler = Own(SquashDatabase.Prepare("straggler", FixtureProjects.Shop.Id("RenameCustomerName")));
        Fresh = Own(SquashDatabase.Prepare("fresh", null));
        Log("databases: " + string.Join(", ", Databases.Values.Append(Straggler).Append(Fresh)));

        Step = "copy samples/Shop";
        Repo = Own(GitSandbox.CreateFromShop(Log));

        Step = "squash without a reference to EfSafeMigrate";
        SquashWithoutReference = Repo.Tool(With(null), "squash", From, To);
        GitStatusAfterRefusedSquash = GitStatus();

        Step = "add the ProjectReference";
        var library = Path.Combine(RepoPaths.Root, "src", "EfSafeMigrate", "EfSafeMigrate.csproj");
        Repo.Edit("Shop/Shop.csproj", "</Project>",
            $"  <ItemGroup>\n    <ProjectReference Include=\"{library}\" />\n  </ItemGroup>\n\n</Project>");
        Repo.CommitAll("Reference EfSafeMigrate");

        Step = "squash";
        // squash proves the squashed migration on two scratch databases on the DbContext's server (it never touches
        // the configured database itself, here the still empty 'fresh' one).
        SquashResult = Repo.Tool(With(Fresh.ConnectionString), "squash", From, To, "--json");
        if (SquashResult.ExitCode != 0)
        {
            throw new InvalidOperationException("squash failed; see its output above.");
        }

        using (var document = JsonDocument.Parse(SquashResult.StdOut))
        {
            SquashId = document.RootElement.GetProperty("id").GetString();
        }

        CheckAfterSquash = Repo.Tool(With(null), "check", "--json");
        Repo.CommitAll("Squash");

        Step = "finalize with the DbContext's database inside the range";
        StragglerBeforeFinalize = Straggler.State();
        FinalizeWithDatabaseInside = Repo.Tool(With(Straggler.ConnectionString), "squash", "--finalize"); // builds the squashed project
        GitStatusAfterFinalizeInside = GitStatus();

        Step = "check --build with the squashed project";
        CheckBuildAfterSquash = Repo.Tool(With(null), "check", "--build", "--no-build", "--json");

        Step = "status --graph with the squash beside the migrations it replaces";
        GraphAfterSquash = Repo.Tool(With(null), "status", "--graph", "--no-build");
        GraphJsonAfterSquash = Repo.Tool(With(null), "status", "--graph", "--no-build", "--json");

        Step = "finalize with a range instead of one squash";
        FinalizeWithTwoArguments = Repo.Tool(With(null), "squash", "--finalize", From, To);

        Step = "finalize with an unreachable --also-connection";
        FinalizeWithUnreachableDatabase = Repo.Tool(With(Databases[To].ConnectionString),
            "squash", "--finalize", "--no-build", "--also-connection", Unreachable);
        GitStatusAfterFinalizeUnreachable = GitStatus();

        foreach (var label in Positions)
        {
            Step = $"apply with the squashed project on the database '{label}'";
            var database = Databases[label];
            var first = Repo.Tool(With(database.ConnectionString), "apply", "--no-build", "--no-backup");
            var afterFirst = database.State();
            var second = Repo.Tool(With(database.ConnectionString), "apply", "--no-build", "--no-backup");
            Applies[label] = new ApplyTwice(first, afterFirst, second, database.State());
        }

        Step = "finalize";
        var also = Positions.Where(p => p != To).SelectMany(p => new[] { "--also-connection", Databases[p].ConnectionString });
        FinalizeResult = Repo.Tool(With(Databases[To].ConnectionString),
            ["squash", "--finalize", SquashId!.Substring(15), "--no-build", "--json", .. also, "--also-connection", Unreachable, "--force"]);
        IdsAfterFinalize = Repo.MigrationIds;
        SumAfterFinalize = Repo.Read(GitSandbox.SumFile);
        CheckAfterFinalize = Repo.Tool(With(null), "check", "--json");

        Step = "apply with the finalized project";
        ApplyFreshAfterFinalize = Repo.Tool(With(Fresh.ConnectionString), "apply", "--no-backup"); // builds the finalized project
        FreshAfterFinalize = Fresh.State();
        AfterRangeBeforeFinalApply = Databases[To].State();
        ApplyAfterRangeAfterFinalize = Repo.Tool(With(Databases[To].ConnectionString), "apply", "--no-build", "--no-backup");
        AfterRangeAfterFinalApply = Databases[To].State();
        ApplyStragglerAfterFinalize = Repo.Tool(With(Straggler.ConnectionString), "apply", "--no-build", "--no-backup");
        StragglerAfterFinalApply = Straggler.State();

        Step = "check --build with the finalized project";
        CheckBuildAfterFinalize = Repo.Tool(With(Fresh.ConnectionString), "check", "--build", "--no-build", "--json");
        Step = "done";
    }

    private static SandboxRun With(string? connectionString) => new() { EnvironmentConnection = connectionString };

    private string GitStatus() => Repo.GitOk("status", "--porcelain").StdOut.Trim();

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private void Log(string text)
    {
        lock (_log)
        {
            _log.AppendLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {text}");
        }
    }
}
