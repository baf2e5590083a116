using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution;

/// <summary>What EF Core's pending-model-changes rule says about a context before it applies its migrations.</summary>
internal enum PendingModelChangesVerdict
{
    /// <summary>The model has no change that no migration captures, or the application ignores the warning.</summary>
    None,

    /// <summary>There are changes, and the application configured the warning to be logged only: warn and go on.</summary>
    Warn,

    /// <summary>There are changes and the warning throws (EF Core 9+'s default): refuse.</summary>
    Refuse,
}

/// <summary>
/// EF Core 9+'s rule, kept: <c>Migrate()</c> without a target migration first checks
/// <see cref="IMigrator.HasPendingModelChanges"/> and raises <see cref="RelationalEventId.PendingModelChangesWarning"/>
/// (an error by default; the application may log or ignore it through <c>ConfigureWarnings</c>). safe-migrate runs every
/// step with an explicit target, so EF's check never runs by itself: <c>apply</c> runs it once, here, before the plan.
/// </summary>
internal static class PendingModelChanges
{
    /// <summary>EF Core's warning id, <c>Microsoft.EntityFrameworkCore.Migrations.PendingModelChangesWarning</c>.</summary>
    public static string WarningId => RelationalEventId.PendingModelChangesWarning.Name!;

    /// <summary>Checks the context's model against its latest migration's, as EF Core's migrator does, honouring the warning's configured behaviour.</summary>
    public static PendingModelChangesVerdict Check(DbContext context)
    {
        var behavior = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.WarningsConfiguration
            .GetBehavior(RelationalEventId.PendingModelChangesWarning);
        if (behavior == WarningBehavior.Ignore || !context.GetService<IMigrator>().HasPendingModelChanges())
        {
            return PendingModelChangesVerdict.None;
        }

        return behavior == WarningBehavior.Log ? PendingModelChangesVerdict.Warn : PendingModelChangesVerdict.Refuse;
    }
}
