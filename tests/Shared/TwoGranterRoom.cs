using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WalkieTalkie.TestHomeserver;

namespace WalkieTalkie.Tests.Shared;

/// <summary>
/// A room on the test homeserver that two gateways' granters share: the first creates it with both at power 100 (they
/// write walkie state, such as the gateways' announcements), the second is invited and joins. With a phone, the room is
/// Megolm-encrypted and the phone is invited at 100 too (it grants its own device, as a room admin does).
/// </summary>
public static class TwoGranterRoom
{
    /// <summary>Creates the room and returns its id.</summary>
    public static async Task<string> CreateAsync(TestHomeserver.TestHomeserver homeserver, TestUser first, TestUser second,
        TestUser? phone = null)
    {
        using var http = new HttpClient { BaseAddress = homeserver.BaseUrl };
        var a = homeserver.CreateSession(first.UserId);
        var b = homeserver.CreateSession(second.UserId);
        var users = new JsonObject { [first.UserId] = 100, [second.UserId] = 100 };
        var invite = new JsonArray(second.UserId);
        if (phone is not null)
        {
            users[phone.UserId] = 100;
            invite.Add(phone.UserId);
        }

        var create = new JsonObject
        {
            ["preset"] = "private_chat",
            ["invite"] = invite,
            ["power_level_content_override"] = new JsonObject { ["users"] = users },
        };
        if (phone is not null)
        {
            create["initial_state"] = new JsonArray(new JsonObject
            {
                ["type"] = "m.room.encryption",
                ["state_key"] = "",
                ["content"] = new JsonObject { ["algorithm"] = "m.megolm.v1.aes-sha2" },
            });
        }

        var created = await SendAsync(http, a.AccessToken, HttpMethod.Post, "_matrix/client/v3/createRoom", create);
        var roomId = created["room_id"]!.GetValue<string>();
        await SendAsync(http, b.AccessToken, HttpMethod.Post, $"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", new JsonObject());
        return roomId;
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, string token, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}
