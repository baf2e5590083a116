using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Squashing;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// The squash part of <c>check --build</c>: every squashed migration of the code (<c>[Replaces]</c>) whose
/// replaced migrations are all still in the code is proven against them with
/// <see cref="SquashEquivalenceProof"/> (both applied to scratch databases that start from the schema before
/// the range, catalogs compared). A difference, or a side that fails, is an error (SM304) naming the objects;
/// a proof that cannot run (no server, no privilege to create databases) is a warning (SM305). A finalized
/// squash (originals deleted) has nothing to be compared with here; SM303 compares it with the model before
/// its range.
/// </summary>
public sealed class SquashProofChecker
{
    private readonly SafeMigrator _migrator;
    private readonly Func<SquashEquivalenceProof> _proof;

    /// <summary>Creates the checker.</summary>
    /// <param name="migrator">The code's migrator.</param>
    /// <param name="proof">Creates the proof (scratch server, DbContext factory); may throw when there is no server, which gives SM305.</param>
    public SquashProofChecker(SafeMigrator migrator, Func<SquashEquivalenceProof> proof)
    {
        _migrator = migrator;
        _proof = proof;
    }

    /// <summary>The findings, oldest squash first; empty when there is no squash to prove or all are proven.</summary>
    public IReadOnlyList<Finding> Check()
    {
        var all = _migrator.AllMigrations;
        var code = all.ToHashSet(StringComparer.Ordinal);
        var squashes = all
            .Select(id => (Id: id, Replaces: ReplacesAttributeLookup.ReplacedIds(_migrator.GetMigration(id).GetType())))
            .Where(s => s.Replaces is { Count: > 0 } replaces && replaces.All(code.Contains))
            .ToList();
        if (squashes.Count == 0)
        {
            return [];
        }

        var findings = new List<Finding>();
        SquashEquivalenceProof proof;
        try
        {
            proof = _proof();
        }
        catch (Exception ex)
        {
            return squashes.Select(s => NotProven(s.Id, s.Replaces!, ex)).ToList();
        }

        var originals = SquashEquivalenceProof.OriginalsOnly(_migrator);
        foreach (var (id, replaces) in squashes)
        {
            SquashProofResult result;
            try
            {
                result = proof.Prove(originals, id, replaces!);
            }
            catch (Exception ex)
            {
                findings.Add(NotProven(id, replaces!, ex));
                continue;
            }

            if (!result.Identical)
            {
                findings.Add(new Finding(FindingCodes.SquashChangesSchema, FindingSeverity.Error,
                    $"The squashed migration '{id}' does not give the schema the {replaces!.Count} migrations it replaces ({replaces[0]}..{replaces[^1]}) give, on scratch databases on {result.Server} " +
                    $"that started from the schema before the range: {string.Join("; ", result.Describe(10))}. A database before the range that runs it would end with another schema than one that ran the originals.",
                    [.. replaces, id], null, null,
                    $"Delete the squashed migration's files ({id}.cs and {id}.Designer.cs) before any database runs it, then squash again (dotnet safe-migrate squash {replaces[0]} {replaces[^1]}), which proves the squash before writing it."));
            }
        }

        return findings;
    }

    private static Finding NotProven(string id, IReadOnlyList<string> replaces, Exception ex)
        => new(FindingCodes.SquashNotProven, FindingSeverity.Warning,
            $"The squashed migration '{id}' could not be proven equivalent to the migrations it replaces ({replaces[0]}..{replaces[^1]}): {ex.GetBaseException().Message}",
            [id], null, null,
            "Give check --build a PostgreSQL server where the user may create databases (--connection, or the application's connection string); the proof creates and drops two scratch databases there.");
}
