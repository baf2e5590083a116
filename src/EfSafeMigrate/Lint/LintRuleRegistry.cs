using EfSafeMigrate.Lint.Rules;

namespace EfSafeMigrate.Lint;

/// <summary>
/// The set of rules a lint run uses, by code. Refuses two rules with the same code, so a code
/// always means one thing (Atlas's analyzer registry does the same).
/// </summary>
internal sealed class LintRuleRegistry
{
    private readonly List<LintRule> _rules = [];
    private readonly Dictionary<string, LintRule> _byCode = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered rules, in registration order.</summary>
    public IReadOnlyList<LintRule> Rules => _rules;

    /// <summary>Registers a rule.</summary>
    /// <exception cref="ArgumentException">Another rule already has this code, or the code is not <c>SM</c> and three digits.</exception>
    public LintRuleRegistry Add(LintRule rule)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(rule.Code, "^SM[0-9]{3}$"))
        {
            throw new ArgumentException($"Lint rule {rule.GetType().Name} has the code '{rule.Code}'; codes are 'SM' and three digits.", nameof(rule));
        }

        if (!_byCode.TryAdd(rule.Code, rule))
        {
            throw new ArgumentException($"Lint rule code {rule.Code} is registered twice: {_byCode[rule.Code].GetType().Name} and {rule.GetType().Name}.", nameof(rule));
        }

        _rules.Add(rule);
        return this;
    }

    /// <summary>The rule with this code, or null.</summary>
    public LintRule? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>Every built-in rule (PostgreSQL semantics), ordered by code.</summary>
    public static LintRuleRegistry CreateDefault() => new LintRuleRegistry()
        .Add(new IndexWithoutConcurrently())
        .Add(new DropIndexWithoutConcurrently())
        .Add(new ForeignKeyWithoutNotValid())
        .Add(new CheckConstraintWithoutNotValid())
        .Add(new SetNotNull())
        .Add(new UniqueOrPrimaryKeyOnExistingTable())
        .Add(new ColumnTypeRewrite())
        .Add(new AddColumnRewrite())
        .Add(new AddRequiredColumnWithoutDefault())
        .Add(new RenameColumn())
        .Add(new RenameTable())
        .Add(new DropColumn())
        .Add(new DropTable())
        .Add(new NarrowingChange())
        .Add(new UnboundedDataChange())
        .Add(new LockingMaintenanceSql())
        .Add(new UnsafeDdlInSql())
        .Add(new BackfillWithDdl())
        .Add(new UnclassifiedSql())
        .Add(new ConcurrentIndexNotAlone())
        .Add(new EmptyOrIrreversibleDown())
        .Add(new DownDoesNotUndoUp());
}
