using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using WalkieTalkie.WebWalkie;
using WalkieTalkie.WebWalkie.Api;
using WalkieTalkie.WebWalkie.Browser;
using WalkieTalkie.WebWalkie.Console;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
var gateway = new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) };
builder.Services.AddSingleton(new GatewayApi(gateway));
builder.Services.AddSingleton<ConsoleApi>();
builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.AddSingleton(new MatrixApi(new HttpClient()));
await JsWalkie.ImportAsync();
await JsWalkie.InitAsync();
await builder.Build().RunAsync();
