using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace WalkieTalkie.WebWalkie.Api;

/// <summary>
/// The console's calls to <c>/console/v1</c>, over the walkie's session (<see cref="GatewayApi"/>: cookie and antiforgery,
/// or bearer). A change answers null when it was made, else the gateway's message.
/// </summary>
public sealed class ConsoleApi(GatewayApi gateway)
{
    public Task<ConsoleMe?> MeAsync() => gateway.GetAsync("/console/v1/me", ConsoleJson.Default.ConsoleMe);

    public Task<BadgesResponse?> BadgesAsync() => gateway.GetAsync("/console/v1/badges", ConsoleJson.Default.BadgesResponse);

    public Task<UnsentResponse?> UnsentAsync() => gateway.GetAsync("/console/v1/outbox", ConsoleJson.Default.UnsentResponse);

    public Task<string?> RetryUnsentAsync(long id) => ChangeAsync<object>(HttpMethod.Post, $"/console/v1/outbox/{id}/retry", null, null);

    public Task<ChannelsResponse?> ChannelsAsync() => gateway.GetAsync("/console/v1/channels", ConsoleJson.Default.ChannelsResponse);

    public Task<PermitsResponse?> PermitsAsync() => gateway.GetAsync("/console/v1/permits", ConsoleJson.Default.PermitsResponse);

    public Task<RoomPermitsResponse?> RoomPermitsAsync() => gateway.GetAsync("/console/v1/room-permits", ConsoleJson.Default.RoomPermitsResponse);

    public Task<AuditResponse?> AuditAsync() => gateway.GetAsync("/console/v1/audit", ConsoleJson.Default.AuditResponse);

    public Task<(Provisioning? Provisioning, string? Error)> AddBadgeAsync(NewBadgeRequest badge) =>
        SecretAsync("/console/v1/badges", JsonContent.Create(badge, ConsoleJson.Default.NewBadgeRequest));

    public Task<(Provisioning? Provisioning, string? Error)> RotateSecretAsync(string id) =>
        SecretAsync($"/console/v1/badges/{Uri.EscapeDataString(id)}/secret", null);

    public Task<string?> RenameBadgeAsync(string id, string name) =>
        ChangeAsync(HttpMethod.Post, $"/console/v1/badges/{Uri.EscapeDataString(id)}/name", new NameRequest(name), ConsoleJson.Default.NameRequest);

    public Task<string?> SetPriorityAsync(string id, bool on) =>
        ChangeAsync(HttpMethod.Post, $"/console/v1/badges/{Uri.EscapeDataString(id)}/priority", new SwitchRequest(on), ConsoleJson.Default.SwitchRequest);

    public Task<string?> RemoveBadgeAsync(string id) => ChangeAsync<object>(HttpMethod.Delete, $"/console/v1/badges/{Uri.EscapeDataString(id)}", null, null);

    public Task<string?> AddChannelAsync(NewChannelRequest channel) =>
        ChangeAsync(HttpMethod.Post, "/console/v1/channels", channel, ConsoleJson.Default.NewChannelRequest);

    public Task<string?> ChangeChannelAsync(int number, ChannelSettingsRequest settings) =>
        ChangeAsync(HttpMethod.Post, $"/console/v1/channels/{number}/settings", settings, ConsoleJson.Default.ChannelSettingsRequest);

    public Task<string?> JoinAsync(int number, string badge) =>
        ChangeAsync(HttpMethod.Post, $"/console/v1/channels/{number}/members", new MemberRequest(badge), ConsoleJson.Default.MemberRequest);

    public Task<string?> LeaveAsync(int number, string badge) =>
        ChangeAsync<object>(HttpMethod.Delete, $"/console/v1/channels/{number}/members/{Uri.EscapeDataString(badge)}", null, null);

    public async Task<(ChannelLinkResult? Result, string? Error)> LinkChannelAsync(int number, ChannelLinkRequest link)
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, $"/console/v1/channels/{number}/link",
            JsonContent.Create(link, ConsoleJson.Default.ChannelLinkRequest));
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync(ConsoleJson.Default.ChannelLinkResult), null)
            : (null, await ErrorAsync(response));
    }

    public async Task<(string[]? Lines, string? Error)> SetDevicePermitAsync(DevicePermitRequest permit)
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, "/console/v1/room-permits", JsonContent.Create(permit, ConsoleJson.Default.DevicePermitRequest));
        return response.IsSuccessStatusCode
            ? ((await response.Content.ReadFromJsonAsync(ConsoleJson.Default.DevicePermitResult))?.Lines, null)
            : (null, await ErrorAsync(response));
    }

    public Task<string?> GrantAsync(NewPermitRequest permit) =>
        ChangeAsync(HttpMethod.Post, "/console/v1/permits", permit, ConsoleJson.Default.NewPermitRequest);

    public Task<string?> WithdrawAsync(string badge, int channel) =>
        ChangeAsync<object>(HttpMethod.Delete, $"/console/v1/permits/{Uri.EscapeDataString(badge)}/{channel}", null, null);

    private async Task<string?> ChangeAsync<T>(HttpMethod method, string path, T? body, JsonTypeInfo<T>? type)
    {
        using var response = await gateway.SendAsync(method, path, body is null ? null : JsonContent.Create(body, type!));
        return response.IsSuccessStatusCode ? null : await ErrorAsync(response);
    }

    private async Task<(Provisioning?, string?)> SecretAsync(string path, HttpContent? content)
    {
        using var response = await gateway.SendAsync(HttpMethod.Post, path, content);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync(ConsoleJson.Default.Provisioning), null)
            : (null, await ErrorAsync(response));
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        await GatewayApi.ReadErrorAsync(response) ?? $"The gateway refused ({(int)response.StatusCode}).";
}
