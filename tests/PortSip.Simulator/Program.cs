var app = WebApplication.Create(args);
app.MapGet("/", () => "sim");
app.Run();
