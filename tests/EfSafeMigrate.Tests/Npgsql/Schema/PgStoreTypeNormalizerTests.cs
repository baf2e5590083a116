using EfSafeMigrate.Npgsql.Schema;

namespace EfSafeMigrate.Tests.Npgsql.Schema;

public class PgStoreTypeNormalizerTests
{
    [Theory]
    [InlineData("varchar(20)", "character varying(20)")]
    [InlineData("VARCHAR (20)", "character varying(20)")]
    [InlineData("  VarChar   (20) ", "character varying(20)")]
    [InlineData("varchar", "character varying")]
    [InlineData("int4", "integer")]
    [InlineData("int", "integer")]
    [InlineData("INT", "integer")]
    [InlineData("serial", "integer")]
    [InlineData("int8", "bigint")]
    [InlineData("bigserial", "bigint")]
    [InlineData("int2", "smallint")]
    [InlineData("bool", "boolean")]
    [InlineData("float8", "double precision")]
    [InlineData("float4", "real")]
    [InlineData("char(3)", "character(3)")]
    [InlineData("bpchar(3)", "character(3)")]
    [InlineData("varbit(8)", "bit varying(8)")]
    [InlineData("decimal(18,2)", "numeric(18,2)")]
    [InlineData("decimal", "numeric")]
    [InlineData("decimal(18, 2)", "numeric(18,2)")]
    public void Normalize_replaces_aliases(string storeType, string expected)
    {
        Assert.Equal(expected, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("timestamptz", "timestamp with time zone")]
    [InlineData("timestamptz(3)", "timestamp(3) with time zone")]
    [InlineData("TIMESTAMPTZ (6)", "timestamp(6) with time zone")]
    [InlineData("timestamp", "timestamp without time zone")]
    [InlineData("timestamp(3)", "timestamp(3) without time zone")]
    [InlineData("timetz", "time with time zone")]
    [InlineData("time", "time without time zone")]
    [InlineData("time(2)", "time(2) without time zone")]
    public void Normalize_spells_time_zone_types_with_modifier_after_base_name(string storeType, string expected)
    {
        Assert.Equal(expected, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("int4[]", "integer[]")]
    [InlineData("text[]", "text[]")]
    [InlineData("varchar(10)[]", "character varying(10)[]")]
    [InlineData("int8[][]", "bigint[][]")]
    [InlineData("timestamptz[]", "timestamp with time zone[]")]
    public void Normalize_keeps_array_suffix(string storeType, string expected)
    {
        Assert.Equal(expected, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("character varying(20)")]
    [InlineData("character varying")]
    [InlineData("character(3)")]
    [InlineData("integer")]
    [InlineData("bigint")]
    [InlineData("boolean")]
    [InlineData("numeric(18,2)")]
    [InlineData("double precision")]
    [InlineData("text")]
    [InlineData("uuid")]
    [InlineData("jsonb")]
    [InlineData("bytea")]
    [InlineData("integer[]")]
    [InlineData("timestamp without time zone")]
    [InlineData("timestamp(3) without time zone")]
    [InlineData("time without time zone")]
    public void Normalize_keeps_canonical_types_unchanged(string storeType)
    {
        Assert.Equal(storeType, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("timestamp with time zone")]
    [InlineData("timestamp(3) with time zone")]
    [InlineData("time with time zone")]
    [InlineData("timestamp with time zone[]")]
    public void Normalize_keeps_canonical_with_time_zone_types_unchanged(string storeType)
    {
        Assert.Equal(storeType, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("TIMESTAMP WITH TIME ZONE", "timestamp with time zone")]
    [InlineData("Character  Varying(20)", "character varying(20)")]
    [InlineData("DOUBLE PRECISION", "double precision")]
    [InlineData("numeric(18, 2)", "numeric(18,2)")]
    public void Normalize_spells_case_and_spaces_like_format_type(string storeType, string expected)
    {
        Assert.Equal(expected, PgStoreTypeNormalizer.Normalize(storeType));
    }

    [Theory]
    [InlineData("timestamptz", "timestamp with time zone")]
    [InlineData("timestamp", "timestamp without time zone")]
    [InlineData("timetz", "time with time zone")]
    [InlineData("varchar(64)", "character varying(64)")]
    public void Normalize_makes_alias_and_canonical_spelling_compare_equal(string alias, string canonical)
    {
        Assert.Equal(PgStoreTypeNormalizer.Normalize(canonical), PgStoreTypeNormalizer.Normalize(alias));
    }

    [Fact]
    public void Normalize_keeps_timestamp_with_and_without_time_zone_distinct()
    {
        Assert.NotEqual(
            PgStoreTypeNormalizer.Normalize("timestamp with time zone"),
            PgStoreTypeNormalizer.Normalize("timestamp without time zone"));
    }

    [Theory]
    [InlineData("float(24)", "real")]
    [InlineData("float(1)", "real")]
    [InlineData("float(25)", "double precision")]
    [InlineData("float", "double precision")]
    [InlineData("bpchar", "bpchar")]
    [InlineData("bpchar(3)", "character(3)")]
    [InlineData("char", "character(1)")]
    [InlineData("character", "character(1)")]
    [InlineData("char(3)", "character(3)")]
    public void Normalize_spells_float_precision_and_char_lengths_like_format_type(string storeType, string expected)
        => Assert.Equal(expected, PgStoreTypeNormalizer.Normalize(storeType));
}
