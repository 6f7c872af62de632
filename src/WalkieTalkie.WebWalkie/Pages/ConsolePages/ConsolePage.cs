using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using WalkieTalkie.WebWalkie.Api;
using WalkieTalkie.WebWalkie.Resources;

namespace WalkieTalkie.WebWalkie.Pages.ConsolePages;

/// <summary>
/// What every console page shares: who is signed in (null: nobody, the page says where to sign in), the strings, and
/// one status line that a screen reader announces (a change's result, or the gateway's message when it refused).
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [Inject]
    protected ConsoleApi Console { get; set; } = null!;

    [Inject]
    protected IStringLocalizer<ConsoleText> T { get; set; } = null!;

    protected ConsoleMe? Me { get; private set; }

    protected bool Loaded { get; private set; }

    protected string? Status { get; set; }

    protected bool StatusIsError { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Me = await Console.MeAsync();
        if (Me is not null)
        {
            await LoadAsync();
        }

        Loaded = true;
    }

    /// <summary>Reads the page's data again (after every change: what the gateway has now, not what the page assumed).</summary>
    protected abstract Task LoadAsync();

    /// <summary>Runs a change, then shows its result and reloads.</summary>
    protected async Task ChangeAsync(Func<Task<string?>> change)
    {
        var error = await change();
        StatusIsError = error is not null;
        Status = error ?? T["Done"];
        await LoadAsync();
    }
}
