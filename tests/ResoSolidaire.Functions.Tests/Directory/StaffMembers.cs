using ResoSolidaire.Functions.Platform.Staff;

namespace ResoSolidaire.Functions.Tests.Directory;

/// <summary>The people tests act as when they call a service directly (not through the host's sign-in).</summary>
public static class StaffMembers
{
    public static StaffMember Test { get; } = new("test", "00000000-0000-0000-0000-000000000001", new HashSet<string> { StaffMember.TeamRoleValue }, IsApplication: false);
}
