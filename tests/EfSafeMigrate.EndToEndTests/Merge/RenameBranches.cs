using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// Two branches that renamed the same column, in a clone of the <see cref="TwoBranchRepo"/> (<see cref="TwoBranchRepo.Renames"/>;
/// each test works on its own <see cref="GitSandbox.Clone"/>): from <c>main</c>, each made with <c>dotnet-safe-migrate add</c>
/// after a one-line edit of the same mapping in ShopContext.cs:
/// <list type="bullet">
/// <item><c>rename-a</c>: <c>Customers.FullName</c> → <c>Name</c>, migration <see cref="RenameA"/> (<c>RenameFullNameToName</c>), made first;</item>
/// <item><c>rename-b</c>: <c>Customers.FullName</c> → <c>DisplayName</c>, migration <see cref="RenameB"/>
/// (<c>RenameFullNameToDisplayName</c>), made after it, so <c>RenameA &lt; RenameB</c>.</item>
/// </list>
/// A git merge of the two conflicts on ShopContext.cs, the snapshot and safe-migrate.sum, and <c>merge</c> refuses them.
/// Every test of <see cref="RebaseTests"/> and one of <see cref="MergeTests"/> ran these two <c>add</c>s (each a build and
/// a scaffold) for itself before; they now run once per test process. Clones have no build output (bin and obj are
/// not in git), so a test's first build of its clone is a full one, as its first <c>add</c> was.
/// </summary>
public sealed class RenameBranches
{
    public const string BranchA = "rename-a";
    public const string BranchB = "rename-b";

    /// <summary>The mapping line on main that both branches edit.</summary>
    public const string Mapping = "customer.Property(c => c.FullName).HasMaxLength(200);";

    /// <summary>Prepares the branches in a clone of <paramref name="twoBranches"/> (left on <c>main</c>).</summary>
    /// <exception cref="InvalidOperationException">An <c>add</c> failed, with what preparing ran.</exception>
    public RenameBranches(GitSandbox twoBranches, IReadOnlyList<string> mainIds)
    {
        var log = new System.Text.StringBuilder();
        MainIds = mainIds;
        Repo = twoBranches.Clone(text => { lock (log) { log.AppendLine(text); } });
        try
        {
            RenameA = Add(BranchA, "Name", "RenameFullNameToName");
            RenameB = Add(BranchB, "DisplayName", "RenameFullNameToDisplayName");
            Repo.GitOk("checkout", "-q", GitSandbox.Branch);
        }
        catch (Exception e)
        {
            Repo.Dispose();
            throw new InvalidOperationException($"Preparing the rename branches failed: {e.Message}{Environment.NewLine}{log}", e);
        }
    }

    /// <summary>The prepared repository (on <c>main</c>); clone it, do not change it.</summary>
    public GitSandbox Repo { get; }

    /// <summary>The sample's migration ids (main).</summary>
    public IReadOnlyList<string> MainIds { get; }

    /// <summary>The migration of <see cref="BranchA"/> (renames Customers.FullName to Name).</summary>
    public string RenameA { get; }

    /// <summary>The migration of <see cref="BranchB"/> (renames Customers.FullName to DisplayName), newer than <see cref="RenameA"/>.</summary>
    public string RenameB { get; }

    private string Add(string branch, string column, string name) =>
        Repo.AddMigrationOnBranch(branch, name, () => Repo.Edit("Shop/ShopContext.cs", Mapping, Mapping.Replace(";", $".HasColumnName(\"{column}\");")), name);
}
