namespace ResoSolidaire.Functions.Contact;

public static class ContactModule
{
    /// <summary>The website's contact form: its messages (table ContactMessages), their mails and their personal data.</summary>
    public static IServiceCollection AddContact(this IServiceCollection services)
    {
        services.AddFormTable(ContactForm.TableName);
        services.AddSingleton<ContactMessageStore>();
        services.AddSingleton<ContactMails>();
        services.AddSingleton<ContactService>();
        services.AddSingleton<IFormMailSweeper>(sp => sp.GetRequiredService<ContactService>());
        services.AddSingleton<IPersonalDataStore, ContactPersonalData>();
        return services;
    }
}
