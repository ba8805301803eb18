var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "OrdersApi");
app.Run();

/// <summary>Entry point, visible to the end-to-end tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
