using EfSafeMigrate.Npgsql.Squashing;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// How <see cref="SquashAwareHistoryRepository"/> finds the provider's squash guards, and what it does
/// without them: a squashed migration's guard is refused (the message names the fix), other guards are
/// the provider's. No database is used.
/// </summary>
public sealed class SquashScriptGuardsTests
{
    private const string Offline = "Host=127.0.0.1;Port=1;Database=offline;Username=nobody;Timeout=1";

    [Fact]
    public void The_Npgsql_guards_are_found_from_the_history_repository()
    {
        using var context = SafeContext(Offline);

        var repository = Assert.IsType<SquashAwareHistoryRepository>(context.GetService<IHistoryRepository>());

        Assert.IsType<NpgsqlSquashScriptGuards>(repository.ScriptGuards);
    }

    [Fact]
    public void Without_guards_a_squashed_migration_is_refused_and_other_migrations_keep_EF_Cores_guards()
    {
        using var context = PlainContext(Offline);
        var inner = context.GetService<IHistoryRepository>();
        var repository = new SquashAwareHistoryRepository(inner, context.GetService<IMigrationsAssembly>(), connection: null) { ScriptGuards = null };

        var ex = Assert.Throws<SquashScriptGuardsUnavailableException>(() => repository.GetBeginIfNotExistsScript(Squashed));
        Assert.Equal(Squashed, ex.SquashedMigrationId);
        Assert.Contains("EfSafeMigrate.Npgsql", ex.Message);
        Assert.Contains("dotnet safe-migrate script --idempotent", ex.Message);
        Assert.Throws<SquashScriptGuardsUnavailableException>(() => repository.GetBeginIfExistsScript(Squashed));
        Assert.Throws<SquashScriptGuardsUnavailableException>(() => repository.GetSquashRangeCheckScript([Initial, Squashed]));

        Assert.Equal(inner.GetBeginIfNotExistsScript(AddProductSku), repository.GetBeginIfNotExistsScript(AddProductSku));
        Assert.Equal(inner.GetBeginIfNotExistsScript(SeedCategories), repository.GetBeginIfNotExistsScript(SeedCategories));
        Assert.Equal(string.Empty, repository.GetSquashRangeCheckScript([Initial, SeedCategories]));
    }

    [Fact]
    public void The_guards_of_the_squash_look_at_its_row_and_the_rows_of_the_migrations_it_replaces()
    {
        using var context = PlainContext(Offline);
        var repository = new SquashAwareHistoryRepository(context.GetService<IHistoryRepository>(), context.GetService<IMigrationsAssembly>(), connection: null);
        var replaced = $"'{AddProductSku}', '{RenameCustomerName}', '{AddUniqueSkuIndex}'";

        var apply = repository.GetBeginIfNotExistsScript(Squashed);
        var revert = repository.GetBeginIfExistsScript(Squashed);
        var original = repository.GetBeginIfNotExistsScript(RenameCustomerName);

        Assert.EndsWith($"""IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ('{Squashed}', {replaced})) THEN""", apply);
        Assert.Contains("RAISE EXCEPTION USING", apply);
        Assert.EndsWith(
            $"""IF (EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '{Squashed}') OR (SELECT count(*) FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ({replaced})) = 3) THEN""",
            revert);
        Assert.Contains("RAISE EXCEPTION USING", revert);
        Assert.EndsWith($"""IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ('{RenameCustomerName}', '{Squashed}')) THEN""", original);
        Assert.DoesNotContain("RAISE", original);
    }
}
