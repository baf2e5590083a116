using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>What a squash will write: the squashed migration's identity, operations and target model.</summary>
/// <param name="Id">The squashed migration's id (TO's timestamp, <c>_</c>, the name).</param>
/// <param name="Name">Its name (class name).</param>
/// <param name="Namespace">Its namespace: that of the replaced migrations.</param>
/// <param name="Range">The replaced migrations.</param>
/// <param name="Up">Up: EF Core's differ from the model before the range to TO's target model, then the range's custom Up operations in their order.</param>
/// <param name="Down">Down: the range's custom Down operations (newest migration first), then EF Core's differ back.</param>
/// <param name="TargetModel">TO's target model (the designer's model).</param>
/// <param name="KeptUp">The custom Up operations kept, in order.</param>
/// <param name="KeptDown">The custom Down operations kept, in order.</param>
/// <param name="Warnings">Things the user should know that do not stop the squash.</param>
/// <param name="FromOperations">True when Up and Down are the range's own operations in order (<see cref="MigrationSquasher.PlanFromOperations"/>), not EF Core's differ between the models at both ends.</param>
public sealed record SquashPlan(
    string Id,
    string Name,
    string Namespace,
    SquashRange Range,
    IReadOnlyList<MigrationOperation> Up,
    IReadOnlyList<MigrationOperation> Down,
    IModel TargetModel,
    IReadOnlyList<KeptOperation> KeptUp,
    IReadOnlyList<KeptOperation> KeptDown,
    IReadOnlyList<string> Warnings,
    bool FromOperations = false);
