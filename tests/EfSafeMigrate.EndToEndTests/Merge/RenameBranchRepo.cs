using System.Text;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// A repository shared by the tests of two branches that renamed the same column (each test works on its own
/// <see cref="GitSandbox.Clone"/>): a clone of the <see cref="TwoBranchRepo"/> with two more branches from <c>main</c>,
/// each made with <c>dotnet-safe-migrate add</c> after a one-line edit of the same mapping in ShopContext.cs:
/// <list type="bullet">
/// <item><c>rename-a</c>: <c>Customers.FullName</c> → <c>Name</c>, migration <see cref="RenameA"/> (<c>RenameFullNameToName</c>), made first;</item>
/// <item><c>rename-b</c>: <c>Customers.FullName</c> → <c>DisplayName</c>, migration <see cref="RenameB"/>
/// (<c>RenameFullNameToDisplayName</c>), made after it, so <c>RenameA &lt; RenameB</c>.</item>
/// </list>
/// A git merge of the two conflicts on ShopContext.cs, the snapshot and safe-migrate.sum, and <c>merge</c> refuses them.
/// </summary>
/// <remarks>
/// Preparing it runs two <c>add</c>s (each a build of the copied sample and a scaffold), which every test of
/// <see cref="RebaseTests"/> and one of <see cref="MergeTests"/> made for themselves before: it is prepared once per
/// test process, when the first class that uses it starts, and deleted when the test process exits (<see cref="E2eRun"/>).
/// The tests never change it. Clones have no build output (bin and obj are not in git), so a test's first build of
/// its clone is a full one, as the first <c>add</c> was.
/// </remarks>
public sealed class RenameBranchRepo
{
    public const string BranchA = "rename-a";
    public const string BranchB = "rename-b";

    /// <summary>The mapping line on main that both branches edit.</summary>
    public const string Mapping = "customer.Property(c => c.FullName).HasMaxLength(200);";

    private static readonly Lazy<Prepared> Shared = new(() => new Prepared(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Prepared _prepared;

    /// <summary>The class fixture: the repository of this test process, prepared on first use.</summary>
    public RenameBranchRepo()
    {
        _prepared = Shared.Value;
    }

    /// <summary>The prepared repository (on <c>main</c>); clone it, do not change it.</summary>
    public GitSandbox Repo => _prepared.Repo;

    /// <summary>The sample's migration ids (main).</summary>
    public IReadOnlyList<string> MainIds => _prepared.MainIds;

    /// <summary>The migration of <see cref="BranchA"/> (renames Customers.FullName to Name).</summary>
    public string RenameA => _prepared.RenameA;

    /// <summary>The migration of <see cref="BranchB"/> (renames Customers.FullName to DisplayName), newer than <see cref="RenameA"/>.</summary>
    public string RenameB => _prepared.RenameB;

    /// <summary>Deletes the repository if it was prepared (the end of the run; see <see cref="E2eRun"/>).</summary>
    public static void DeleteShared()
    {
        if (Shared.IsValueCreated)
        {
            Shared.Value.Repo.Dispose();
        }
    }

    private sealed class Prepared
    {
        private readonly StringBuilder _log = new();

        public Prepared()
        {
            E2eRun.CleanUpAtExit();
            var twoBranches = new TwoBranchRepo();
            MainIds = twoBranches.MainIds;
            Repo = twoBranches.Repo.Clone(Log);
            try
            {
                RenameA = AddOnBranch(BranchA, Mapping.Replace(";", ".HasColumnName(\"Name\");"), "RenameFullNameToName");
                RenameB = AddOnBranch(BranchB, Mapping.Replace(";", ".HasColumnName(\"DisplayName\");"), "RenameFullNameToDisplayName");
                Repo.GitOk("checkout", "-q", GitSandbox.Branch);
                if (string.CompareOrdinal(RenameA, RenameB) >= 0)
                {
                    throw new InvalidOperationException($"Expected {RenameA} < {RenameB}: migration ids come from the clock.");
                }
            }
            catch (Exception e)
            {
                Repo.Dispose();
                throw new InvalidOperationException($"Preparing the rename-branch repository failed: {e.Message}{Environment.NewLine}{_log}", e);
            }
        }

        public GitSandbox Repo { get; }

        public IReadOnlyList<string> MainIds { get; }

        public string RenameA { get; }

        public string RenameB { get; }

        private void Log(string text)
        {
            lock (_log)
            {
                _log.AppendLine(text);
            }
        }

        // A branch from main with the mapping edited and the migration 'add' makes for it.
        private string AddOnBranch(string branch, string replacement, string name)
        {
            Repo.GitOk("checkout", "-q", "-b", branch, GitSandbox.Branch);
            var before = Repo.MigrationIds;
            Repo.Edit("Shop/ShopContext.cs", Mapping, replacement);
            var add = Repo.Tool("add", name);
            var added = Repo.NewIds(before);
            if (add.ExitCode != 0 || added.Count != 1 || !added[0].EndsWith("_" + name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"add {name} made [{string.Join(", ", added)}] instead of one migration named {name}:{Environment.NewLine}{add.Describe()}");
            }

            Repo.CommitAll(name);
            return added[0];
        }
    }
}
