namespace Stock;

public class Item
{
    public int Id { get; set; }

    public string? Name { get; set; }

    public string Code { get; set; } = "";

    public long Quantity { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
