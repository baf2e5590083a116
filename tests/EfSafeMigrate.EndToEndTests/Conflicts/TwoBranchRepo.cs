using System.Text;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// A repository shared by the tests of one class (each test works on its own <see cref="GitSandbox.Clone"/>):
/// samples/Shop on <c>main</c>, and two branches that each added one migration from the same parent with
/// <c>dotnet-safe-migrate add</c>, after a one-line model edit of a different entity:
/// <list type="bullet">
/// <item><c>feature-a</c>: <c>Customer.Phone</c>, migration <see cref="IdA"/> (<c>AddCustomerPhone</c>), made first;</item>
/// <item><c>feature-b</c>: <c>Product.Weight</c>, migration <see cref="IdB"/> (<c>AddProductWeight</c>), made after it, so <c>IdA &lt; IdB</c>.</item>
/// </list>
/// The entity edits are in different files, and the snapshot changes are in different entity blocks, so git merges
/// the code cleanly; safe-migrate.sum conflicts (both branches changed the line after the parent's and the head line).
/// </summary>
/// <remarks>
/// Preparing it builds the copied sample twice, so the repository is prepared once per test process, when the first
/// class that uses it starts (<see cref="Shared"/>), and deleted when the test process exits (<see cref="E2eRun"/>); every class
/// fixture hands out that one repository. The tests never change it: each works on its own clone.
/// </remarks>
public sealed class TwoBranchRepo
{
    public const string BranchA = "feature-a";
    public const string BranchB = "feature-b";

    private static readonly Lazy<Prepared> Shared = new(() => new Prepared(), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Merge.RenameBranches> SharedRenames =
        new(() => new Merge.RenameBranches(Shared.Value.Repo, Shared.Value.MainIds), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Prepared _prepared;

    /// <summary>The class fixture: the repository of this test process, prepared on first use.</summary>
    public TwoBranchRepo()
    {
        _prepared = Shared.Value;
    }

    /// <summary>The prepared repository (on <c>main</c>); clone it, do not change it.</summary>
    public GitSandbox Repo => _prepared.Repo;

    /// <summary>The sample's migration ids (main).</summary>
    public IReadOnlyList<string> MainIds => _prepared.MainIds;

    /// <summary>The newest migration on main: the parent of both branches' migrations.</summary>
    public string Parent => _prepared.Parent;

    /// <summary>safe-migrate.sum on main.</summary>
    public string MainSum => _prepared.MainSum;

    /// <summary>The migration of <see cref="BranchA"/> (Customers.Phone).</summary>
    public string IdA => _prepared.IdA;

    /// <summary>The migration of <see cref="BranchB"/> (Products.Weight), newer than <see cref="IdA"/>.</summary>
    public string IdB => _prepared.IdB;

    /// <summary>A clone of this repository with two branches that renamed the same column, prepared on first use (<see cref="Merge.RenameBranches"/>).</summary>
    public Merge.RenameBranches Renames => SharedRenames.Value;

    /// <summary>What preparing the repository ran.</summary>
    public string PreparationLog => _prepared.PreparationLog;

    /// <summary>Deletes the repository and its rename clone if they were prepared (the end of the run; see <see cref="E2eRun"/>).</summary>
    public static void DeleteShared()
    {
        if (SharedRenames.IsValueCreated)
        {
            SharedRenames.Value.Repo.Dispose();
        }

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
            GitSandbox.DeleteStale();
            Repo = GitSandbox.CreateFromShop(Log);
            try
            {
                MainIds = Repo.MigrationIds;
                Parent = MainIds[^1];
                MainSum = Repo.Read(GitSandbox.SumFile);

                IdA = AddOnBranch(BranchA, "Customer", "public string Email { get; set; } = \"\";", "public string? Phone { get; set; }", "AddCustomerPhone");
                IdB = AddOnBranch(BranchB, "Product", "public string? Sku { get; set; }", "public double? Weight { get; set; }", "AddProductWeight");
                Repo.GitOk("checkout", "-q", GitSandbox.Branch);

                if (string.CompareOrdinal(Parent, IdA) >= 0 || string.CompareOrdinal(IdA, IdB) >= 0)
                {
                    throw new InvalidOperationException(
                        $"Expected {Parent} < {IdA} < {IdB}: migration ids come from the clock, which must be later than the sample's newest migration.");
                }
            }
            catch (Exception e)
            {
                Repo.Dispose();
                throw new InvalidOperationException($"Preparing the two-branch repository failed: {e.Message}{Environment.NewLine}{_log}", e);
            }
        }

        public GitSandbox Repo { get; }

        public IReadOnlyList<string> MainIds { get; }

        public string Parent { get; }

        public string MainSum { get; }

        public string IdA { get; }

        public string IdB { get; }

        public string PreparationLog => _log.ToString();

        private void Log(string text)
        {
            lock (_log)
            {
                _log.AppendLine(text);
            }
        }

        private string AddOnBranch(string branch, string entity, string afterLine, string property, string name) =>
            Repo.AddMigrationOnBranch(branch, name, () => Repo.AddProperty(entity, afterLine, property), $"{name}: {entity}.{property}");
    }
}
