using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>
/// Squashes whose designers disagree with their migrations' code, run once for the test class with the packed tool on
/// a copy of samples/Shop plus the six migrations of tests/Fixtures/ShopWithBranchDesigners (in a git sandbox):
/// <c>AddProductWeight</c> (consistent), <c>AddCustomerNote</c> (its designer, generated on another branch, lacks
/// Products.Weight), <c>AddProductRating</c> (its designer already has Products.Stock) and <c>AddProductStock</c> (adds
/// Stock, which the previous designer already has: not EF Core's differ output between the two designers), then
/// <c>AddProductColour</c> and <c>MakeProductColourRequired</c> (Sql(...) between two schema operations).
/// <list type="number">
/// <item>A database gets every original migration (<c>apply</c>): the reference schema.</item>
/// <item>(b) <c>squash AddProductRating AddProductStock</c>: the models cannot give it (the last migration is "written by
/// hand" for the differ), so it is built from the operations and proven; an empty database then gets the squashed
/// project (<c>apply</c>), and <c>check --build</c> proves the squash again.</item>
/// <item>(c) <c>squash AddProductColour MakeProductColourRequired</c>: its Sql(...) fills Colour between adding it and
/// making it required, so the models' squash (the differ's operations, then the custom ones) cannot hold it: the squash
/// is built from the operations, with the Sql(...) in its place, proven and written; an empty database then gets the
/// project with squashes (b) and (c).</item>
/// <item>Reset to before the squashes. (a) <c>squash AddProductWeight AddCustomerNote</c>: the models' squash lacks Weight
/// (the bitwarden pattern): the proof finds it, the squash is built from the operations, proven and written; an empty
/// database gets the squashed project.</item>
/// <item>The squash of (a) is edited to lose its AddColumn of Weight: <c>check --build</c> must report SM304.</item>
/// </list>
/// </summary>
public sealed class BranchDesignersScenario : IDisposable
{
    public const string FixtureMigrations = "tests/Fixtures/ShopWithBranchDesigners/Migrations";

    private readonly StringBuilder _log = new();
    private readonly List<IDisposable> _owned = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BranchDesignersScenario()
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

    public GitSandbox Repo { get; private set; } = null!;

    /// <summary>The DbContext's configured database for the squash runs (its server holds the scratch databases; it is never migrated).</summary>
    public E2eDatabase ProofDatabase { get; private set; } = null!;

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

    public DatabaseState? Originals { get; private set; }

    public ProcessResult? SquashB { get; private set; }

    public IReadOnlyList<string>? LeftoversAfterB { get; private set; }

    public ProcessResult? ApplyB { get; private set; }

    public DatabaseState? FreshB { get; private set; }

    public ProcessResult? CheckBuildB { get; private set; }

    public ProcessResult? SquashC { get; private set; }

    public string? SquashCMigrationCode { get; private set; }

    public ProcessResult? ApplyC { get; private set; }

    public DatabaseState? FreshC { get; private set; }

    public ProcessResult? SquashA { get; private set; }

    public string? SquashAMigrationCode { get; private set; }

    public ProcessResult? ApplyA { get; private set; }

    public DatabaseState? FreshA { get; private set; }

    public ProcessResult? CheckBuildAfterBreakingA { get; private set; }

    public IReadOnlyList<string>? LeftoversAtEnd { get; private set; }

    public T Require<T>(T? value, string what)
        where T : class
        => value ?? throw new Xunit.Sdk.XunitException(
            $"The scenario did not get to {what}: step '{Step}' failed: {Failure?.Message ?? "(no exception)"}{Environment.NewLine}{ScenarioLog}");

    /// <summary>The written migration file of a squash run with --json.</summary>
    public static string MigrationFileOf(ProcessResult squash)
    {
        using var document = JsonDocument.Parse(squash.StdOut);
        return document.RootElement.GetProperty("migrationFile").GetString()!;
    }

    /// <summary>Databases on the test server named like the proof's scratch databases of <see cref="ProofDatabase"/>.</summary>
    public IReadOnlyList<string> Leftovers()
        => Pg.Strings(E2eDatabase.ServerConnectionString,
            $"SELECT datname FROM pg_database WHERE datname LIKE {Pg.Literal(ProofDatabase.Name.Replace("_", "\\_", StringComparison.Ordinal) + "\\_squashproof\\_%")} ORDER BY 1");

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
        Step = "copy samples/Shop and the fixture's migrations";
        ProofDatabase = Own(E2eDatabase.Create());
        Repo = Own(GitSandbox.CreateFromShop(Log));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, FixtureMigrations), "*.cs"))
        {
            File.Copy(file, Path.Combine(Repo.ProjectDir, "Migrations", Path.GetFileName(file)));
        }

        var library = Path.Combine(RepoPaths.Root, "src", "EfSafeMigrate", "EfSafeMigrate.csproj");
        Repo.Edit("Shop/Shop.csproj", "</Project>",
            $"  <ItemGroup>\n    <ProjectReference Include=\"{library}\" />\n  </ItemGroup>\n\n</Project>");
        Repo.ToolOk(With(null), "hash");
        Repo.CommitAll("Migrations made on other branches");
        var beforeSquash = Repo.Head();

        Step = "apply the original migrations";
        var originals = Own(E2eDatabase.Create());
        Repo.ToolOk(With(originals.ConnectionString), "apply", "--no-backup"); // builds
        Originals = DatabaseState.Read(originals.ConnectionString);

        Step = "(b) squash AddProductRating..AddProductStock";
        SquashB = Repo.Tool(With(ProofDatabase.ConnectionString), "squash", "AddProductRating", "AddProductStock", "--json");
        LeftoversAfterB = Leftovers();
        if (SquashB.ExitCode != 0)
        {
            throw new InvalidOperationException("squash (b) failed; see its output above.");
        }

        Step = "(b) apply the squashed project to an empty database";
        var freshB = Own(E2eDatabase.Create());
        ApplyB = Repo.Tool(With(freshB.ConnectionString), "apply", "--no-backup"); // builds the squashed project
        FreshB = DatabaseState.Read(freshB.ConnectionString);

        Step = "(b) check --build";
        CheckBuildB = Repo.Tool(With(ProofDatabase.ConnectionString), "check", "--build", "--no-build", "--json");

        Step = "(c) squash AddProductColour..MakeProductColourRequired";
        SquashC = Repo.Tool(With(ProofDatabase.ConnectionString), "squash", "AddProductColour", "MakeProductColourRequired", "--json");
        if (SquashC.ExitCode != 0)
        {
            throw new InvalidOperationException("squash (c) failed; see its output above.");
        }

        SquashCMigrationCode = File.ReadAllText(MigrationFileOf(SquashC));

        Step = "(c) apply the project with squashes (b) and (c) to an empty database";
        var freshC = Own(E2eDatabase.Create());
        ApplyC = Repo.Tool(With(freshC.ConnectionString), "apply", "--no-backup"); // builds
        FreshC = DatabaseState.Read(freshC.ConnectionString);

        Step = "(a) squash AddProductWeight..AddCustomerNote";
        Repo.GitOk("reset", "-q", "--hard", beforeSquash);
        Repo.GitOk("clean", "-q", "-fd");
        SquashA = Repo.Tool(With(ProofDatabase.ConnectionString), "squash", "AddProductWeight", "AddCustomerNote", "--json");
        if (SquashA.ExitCode != 0)
        {
            throw new InvalidOperationException("squash (a) failed; see its output above.");
        }

        var fileA = MigrationFileOf(SquashA);
        SquashAMigrationCode = File.ReadAllText(fileA);

        Step = "(a) apply the squashed project to an empty database";
        var freshA = Own(E2eDatabase.Create());
        ApplyA = Repo.Tool(With(freshA.ConnectionString), "apply", "--no-backup"); // builds
        FreshA = DatabaseState.Read(freshA.ConnectionString);

        Step = "(a) break the squash, then check --build";
        var code = SquashAMigrationCode;
        var weight = code.IndexOf("name: \"Weight\"", StringComparison.Ordinal);
        var start = weight < 0 ? -1 : code.LastIndexOf("migrationBuilder.AddColumn", weight, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("The squash of (a) has no AddColumn of Weight:" + Environment.NewLine + code);
        }

        var end = code.IndexOf(");", weight, StringComparison.Ordinal) + 2;

        File.WriteAllText(fileA, code[..start] + code[end..]);
        CheckBuildAfterBreakingA = Repo.Tool(With(ProofDatabase.ConnectionString), "check", "--build", "--json"); // builds
        LeftoversAtEnd = Leftovers();
        Step = "done";
    }

    private static SandboxRun With(string? connectionString) => new() { EnvironmentConnection = connectionString };

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
