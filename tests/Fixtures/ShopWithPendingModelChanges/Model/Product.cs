namespace Shop.Model;

public class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }

    /// <summary>Stock keeping unit; optional until every product has one.</summary>
    public string? Sku { get; set; }

    /// <summary>Added to the model without a migration.</summary>
    public string? Colour { get; set; }

    public int CategoryId { get; set; }

    public Category Category { get; set; } = null!;
}
