using System.Text;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// A repository for <see cref="BranchRebaseTests"/>, prepared once per class (each test works on its own clone):
/// samples/Shop on <c>main</c> (tagged <see cref="Base"/>), then
/// <list type="bullet">
/// <item><c>feature</c> from it, three migrations made with <c>dotnet-safe-migrate add</c>: <c>AddSuppliers</c> (a new table),
/// <c>AddCustomerNickname</c> (a column, with a hand-written <c>Sql()</c> backfill from <c>FullName</c>, then <c>hash</c>),
/// <c>AddSupplierNameIndex</c> (an index);</item>
/// <item>then <c>main</c> moves on with two: <c>AddCategoryDescription</c> (a column of another table) and
/// <c>RenameOrderPlacedAt</c> (renames <c>Orders.PlacedAt</c> to <c>OrderedAt</c>, a column the branch does not use).</item>
/// </list>
/// The branches change different files, so git merges the code; safe-migrate.sum conflicts.
/// </summary>
public sealed class BranchRebaseRepo : IDisposable
{
    public const string Base = "base";
    public const string Feature = "feature";

    /// <summary>The backfill kept in <c>AddCustomerNickname</c>'s Up (C# source of the call).</summary>
    public const string Backfill = "migrationBuilder.Sql(\"UPDATE \\\"Customers\\\" SET \\\"Nickname\\\" = \\\"FullName\\\" WHERE \\\"Nickname\\\" IS NULL;\");";

    private readonly StringBuilder _log = new();

    public BranchRebaseRepo()
    {
        E2eRun.CleanUpAtExit();
        Repo = GitSandbox.CreateFromShop(Log);
        try
        {
            Repo.GitOk("tag", Base);
            Repo.GitOk("checkout", "-q", "-b", Feature);
            Repo.Write("Shop/Model/Supplier.cs", "namespace Shop.Model;\n\npublic class Supplier\n{\n    public int Id { get; set; }\n\n    public string Name { get; set; } = \"\";\n}\n");
            Repo.Edit("Shop/ShopContext.cs", "public DbSet<OrderLine> OrderLines => Set<OrderLine>();",
                "public DbSet<OrderLine> OrderLines => Set<OrderLine>();\n\n    public DbSet<Supplier> Suppliers => Set<Supplier>();");
            var branch = new List<string> { Add("AddSuppliers") };

            Repo.AddProperty("Customer", "public string Email { get; set; } = \"\";", "public string? Nickname { get; set; }");
            branch.Add(Add("AddCustomerNickname"));
            var path = $"{GitSandbox.Migrations}/{branch[1]}.cs";
            var migration = Repo.Read(path);
            var upEnd = migration.LastIndexOf('}', migration.IndexOf("protected override void Down", StringComparison.Ordinal));
            Repo.Write(path, migration[..upEnd].TrimEnd() + "\n\n            " + Backfill + "\n        " + migration[upEnd..]);
            Repo.ToolOk("hash");
            Repo.CommitAll("Backfill Customers.Nickname");

            Repo.Edit("Shop/Model/Supplier.cs", "public class Supplier", "[Microsoft.EntityFrameworkCore.Index(nameof(Name))]\npublic class Supplier");
            branch.Add(Add("AddSupplierNameIndex"));
            BranchIds = branch;

            Repo.GitOk("checkout", "-q", GitSandbox.Branch);
            Repo.AddProperty("Category", "public string Name { get; set; } = \"\";", "public string? Description { get; set; }");
            var main = new List<string> { Add("AddCategoryDescription") };
            Repo.Edit("Shop/Model/Order.cs", "public DateTime PlacedAt { get; set; }", "[System.ComponentModel.DataAnnotations.Schema.Column(\"OrderedAt\")]\n    public DateTime PlacedAt { get; set; }");
            main.Add(Add("RenameOrderPlacedAt"));
            MainIds = main;
            if (!Repo.Read($"{GitSandbox.Migrations}/{main[1]}.cs").Contains("RenameColumn(", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{main[1]} does not rename the column.");
            }
        }
        catch (Exception e)
        {
            Repo.Dispose();
            throw new InvalidOperationException($"Preparing the branch-rebase repository failed: {e.Message}{Environment.NewLine}{_log}", e);
        }
    }

    /// <summary>The prepared repository (on <c>main</c>); clone it, do not change it.</summary>
    public GitSandbox Repo { get; }

    /// <summary>The feature branch's three migrations, oldest first.</summary>
    public IReadOnlyList<string> BranchIds { get; }

    /// <summary>Main's two new migrations, oldest first.</summary>
    public IReadOnlyList<string> MainIds { get; }

    public void Dispose() => Repo.Dispose();

    private string Add(string name)
    {
        var before = Repo.MigrationIds;
        var add = Repo.Tool("add", name);
        if (add.ExitCode != 0)
        {
            throw new InvalidOperationException($"add {name} failed:{Environment.NewLine}{add.Describe()}");
        }

        var added = Repo.NewIds(before);
        if (added.Count != 1 || !added[0].EndsWith("_" + name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"add {name} made [{string.Join(", ", added)}] instead of one migration named {name}.");
        }

        Repo.CommitAll(name);
        return added[0];
    }

    private void Log(string text)
    {
        lock (_log)
        {
            _log.AppendLine(text);
        }
    }
}
