//! End-to-end tests: the real server and the real built widget in Chromium, embedded
//! cross-origin on a clinic page, found by role and name as a person would.
//! Run by `cargo xtask test`, which builds the widget first.
#![cfg(not(target_arch = "wasm32"))]

#[path = "e2e/appointments.rs"]
mod appointments;
#[path = "e2e/harness.rs"]
mod harness;
#[path = "e2e/inbox.rs"]
mod inbox;
#[path = "e2e/learn.rs"]
mod learn;
#[path = "e2e/records.rs"]
mod records;
#[path = "e2e/runtime.rs"]
mod runtime;

use fantoccini::key::Key;
use harness::Haven;

/// Every section with its heading in English and Vietnamese.
const SECTIONS: [(&str, &str, &str); 5] = [
    ("/learn", "Learn", "Tìm hiểu"),
    ("/appointments", "Appointments", "Lịch hẹn"),
    ("/community", "Community", "Cộng đồng"),
    ("/records", "My record", "Hồ sơ của tôi"),
    (
        "/settings",
        "Settings & privacy",
        "Cài đặt & quyền riêng tư",
    ),
];

#[tokio::test]
async fn every_view_passes_axe_in_english_and_vietnamese() {
    let haven = Haven::start().await;
    for (lang, column) in [("en", 1), ("vi", 2)] {
        for section in SECTIONS {
            let heading = if column == 1 { section.1 } else { section.2 };
            haven
                .client
                .goto(&format!("{}{}?lang={lang}", haven.widget, section.0))
                .await
                .unwrap();
            haven.heading(heading).await;
            // Wait for the clinic's configuration (and Learn's module) so the whole view is
            // checked.
            haven.find("//footer//a[starts-with(@href, 'tel:')]").await;
            if section.0 == "/learn" {
                let browse = if column == 1 {
                    "Browse topics"
                } else {
                    "Xem các chủ đề"
                };
                haven
                    .find(&format!("//h2[normalize-space()='{browse}']"))
                    .await;
            }
            haven
                .assert_accessible(&format!("{} in {lang}", section.0))
                .await;
        }
        haven
            .client
            .goto(&format!("{}/no-such-page?lang={lang}", haven.widget))
            .await
            .unwrap();
        haven
            .heading(if lang == "en" {
                "Page not found"
            } else {
                "Không tìm thấy trang"
            })
            .await;
        haven
            .assert_accessible(&format!("not found in {lang}"))
            .await;
    }
    haven.finish().await;
}

#[tokio::test]
async fn the_full_page_navigates_every_section_by_keyboard_with_a_working_back_button() {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/", haven.widget))
        .await
        .unwrap();
    haven.heading("Learn").await;
    for (path, name, _) in SECTIONS.iter().skip(1) {
        let link = haven
            .find(&format!(
                "//nav[@aria-label='Sections']//a[normalize-space()='{name}']"
            ))
            .await;
        assert_eq!(haven.accessible_name(&link).await, *name);
        link.send_keys(&Key::Enter.to_string()).await.unwrap();
        haven.heading(name).await;
        haven
            .until(
                "the heading has focus",
                "return document.activeElement.tagName === 'H1'",
            )
            .await;
        let url = haven.client.current_url().await.unwrap();
        assert_eq!(url.path(), *path, "each section has its own deep link");
        let current = haven.find("//a[@aria-current='page']").await;
        assert_eq!(current.text().await.unwrap(), *name);
    }
    haven.client.back().await.unwrap();
    haven.heading("My record").await;
    haven.client.back().await.unwrap();
    haven.heading("Community").await;
    haven.finish().await;
}

#[tokio::test]
async fn vietnamese_is_kept_after_a_reload() {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/settings", haven.widget))
        .await
        .unwrap();
    haven.heading("Settings & privacy").await;
    let select = haven
        .find("//main//select[@id=//label[normalize-space()='Language']/@for]")
        .await;
    select.select_by_value("vi").await.unwrap();
    haven.heading("Cài đặt & quyền riêng tư").await;
    assert_eq!(haven.js("return document.documentElement.lang").await, "vi");
    haven.client.refresh().await.unwrap();
    haven.heading("Cài đặt & quyền riêng tư").await;
    haven
        .find("//nav//a[normalize-space()='Hồ sơ của tôi']")
        .await;
    assert_eq!(haven.js("return document.documentElement.lang").await, "vi");
    haven.finish().await;
}

#[tokio::test]
async fn a_pseudo_right_to_left_locale_mirrors_the_layout() {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn?lang=ar-XB", haven.widget))
        .await
        .unwrap();
    haven.heading("Learn").await;
    assert_eq!(haven.js("return document.documentElement.dir").await, "rtl");
    let positions = haven
        .js("const links = [...document.querySelectorAll('nav a')].map(a => a.getBoundingClientRect());
             const clinic = document.querySelector('.clinic').getBoundingClientRect();
             const language = document.querySelector('.site-header select').getBoundingClientRect();
             return { first: links[0].left, second: links[1].left,
                      clinic: clinic.left, language: language.left, width: innerWidth };")
        .await;
    let x = |name: &str| positions[name].as_f64().unwrap();
    assert!(
        x("first") > x("second"),
        "the first section link is on the right: {positions}"
    );
    assert!(
        x("clinic") > x("language"),
        "the clinic name starts on the right: {positions}"
    );
    haven.finish().await;
}

#[tokio::test]
async fn the_shell_opens_with_no_network_after_one_visit() {
    let mut haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn", haven.widget))
        .await
        .unwrap();
    haven.heading("Learn").await;
    haven
        .find("//p[contains(@class, 'clinic')][normalize-space()='Riverside Family Clinic']")
        .await;
    haven.until_offline_ready().await;
    haven.heading("Learn").await;
    haven
        .find("//p[contains(@class, 'clinic')][normalize-space()='Riverside Family Clinic']")
        .await;

    haven.go_offline().await;
    haven
        .client
        .goto(&format!("{}/records", haven.widget))
        .await
        .unwrap();
    haven.heading("My record").await;
    haven
        .find("//*[@role='status'][contains(., 'You are offline')]")
        .await;
    // The clinic's details come from the cached configuration.
    haven
        .find("//p[contains(@class, 'clinic')][normalize-space()='Riverside Family Clinic']")
        .await;
    let link = haven
        .find("//nav//a[normalize-space()='Appointments']")
        .await;
    link.click().await.unwrap();
    haven.heading("Appointments").await;
    haven.finish().await;
}

#[tokio::test]
async fn the_widget_and_console_are_served_with_strict_security_headers() {
    let haven = Haven::start().await;
    let http = reqwest::Client::new();
    let widget = http
        .get(format!("{}/learn", haven.widget))
        .send()
        .await
        .unwrap();
    assert_eq!(widget.status(), 200);
    let header = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header(&widget, "content-security-policy");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_default();
    assert!(
        script_src.contains("'wasm-unsafe-eval'") && script_src.contains("'sha256-"),
        "{csp}"
    );
    assert!(
        !script_src.contains("unsafe-inline") && !script_src.contains("'unsafe-eval'"),
        "{csp}"
    );
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        &format!("frame-ancestors 'self' {}", haven.host),
    ] {
        assert!(
            csp.split(';').any(|d| d.trim() == directive),
            "missing {directive:?} in {csp}"
        );
    }
    assert_eq!(header(&widget, "referrer-policy"), "no-referrer");
    assert_eq!(header(&widget, "x-content-type-options"), "nosniff");
    assert!(header(&widget, "permissions-policy").contains("camera=()"));

    let console = http
        .get(format!("{}/console/", haven.widget))
        .send()
        .await
        .unwrap();
    assert_eq!(console.status(), 200);
    let console_csp = header(&console, "content-security-policy");
    assert!(
        console_csp
            .split(';')
            .any(|d| d.trim() == "frame-ancestors 'none'"),
        "{console_csp}"
    );

    let loader = http
        .get(format!("{}/embed.js", haven.widget))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&loader, "access-control-allow-origin"), "*");
    assert!(header(&loader, "cache-control").contains("max-age=300"));
    haven.finish().await;
}

/// Whether the launcher has focus on the clinic page.
const LAUNCHER_FOCUSED: &str = "const root = document.querySelector('haven-root');
    return document.activeElement === root &&
        root.shadowRoot.activeElement === root.shadowRoot.querySelector('button[aria-controls]');";

#[tokio::test]
async fn the_widget_opens_from_the_clinic_page_by_keyboard_and_escape_returns_focus_to_the_launcher()
 {
    let haven = Haven::start().await;
    haven.client.goto(&haven.host).await.unwrap();
    let launcher = haven.launcher().await;
    assert_eq!(haven.accessible_name(&launcher).await, "Health help");
    assert_eq!(
        launcher.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    let (_, _, width, height) = launcher.rectangle().await.unwrap();
    assert!(
        width >= 44.0 && height >= 44.0,
        "the launcher is {width}×{height}"
    );

    // The launcher is the page's last focus stop: one Shift+Tab from the top reaches it.
    haven.press(&[Key::Shift, Key::Tab]).await;
    haven
        .until("the launcher has focus", LAUNCHER_FOCUSED)
        .await;
    haven.press(&[Key::Enter]).await;
    assert_eq!(
        launcher.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );

    haven.enter_widget().await;
    haven.heading("Learn").await;
    for (_, name, _) in SECTIONS.iter().skip(1) {
        let link = haven
            .find(&format!("//nav//a[normalize-space()='{name}']"))
            .await;
        link.send_keys(&Key::Enter.to_string()).await.unwrap();
        haven.heading(name).await;
        haven
            .until(
                "the new heading has focus",
                "return document.activeElement.tagName === 'H1'",
            )
            .await;
    }
    haven.press(&[Key::Escape]).await;
    haven.client.enter_parent_frame().await.unwrap();
    haven
        .until("focus is back on the launcher", LAUNCHER_FOCUSED)
        .await;
    assert_eq!(
        launcher.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    haven
        .assert_accessible("the clinic page with the launcher")
        .await;
    haven.finish().await;
}

#[tokio::test]
async fn the_host_page_opens_sections_through_the_api_before_and_after_the_loader_loads() {
    let haven = Haven::start().await;
    haven.host_page(
        "queued.html",
        r#"<!doctype html><html lang="en"><head><title>Clinic</title></head><body><main><h1>Clinic</h1></main>
        <script>
          window.Haven = window.Haven || function () { (Haven.q = Haven.q || []).push(arguments); };
          window.opened = 0;
          Haven('on', 'open', function () { window.opened += 1; });
          Haven('open', 'records');
        </script>
        <script src="WIDGET/embed.js" data-clinic="demo" async></script></body></html>"#,
    );
    haven
        .client
        .goto(&format!("{}/queued.html", haven.host))
        .await
        .unwrap();
    haven
        .until("the queued open ran", "return window.opened === 1")
        .await;
    haven.enter_widget().await;
    haven.heading("My record").await;
    haven.client.enter_parent_frame().await.unwrap();

    haven.js("Haven('close')").await;
    let launcher = haven.launcher().await;
    assert_eq!(
        launcher.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    haven.js("Haven('open', 'settings')").await;
    haven
        .until("the second open ran", "return window.opened === 2")
        .await;
    haven.enter_widget().await;
    haven.heading("Settings & privacy").await;
    haven.client.enter_parent_frame().await.unwrap();

    haven.js("Haven('language', 'vi')").await;
    haven.enter_widget().await;
    haven.heading("Cài đặt & quyền riêng tư").await;
    haven.finish().await;
}

#[tokio::test]
async fn the_host_page_cannot_read_the_widget_and_wrong_origin_messages_are_ignored() {
    let haven = Haven::start().await;
    let other_origin = haven.host.replace("localhost", "127.0.0.1");
    haven.host_page(
        "spy.html",
        &format!(
            r#"<!doctype html><html lang="en"><head><title>Clinic</title></head><body><main><h1>Clinic</h1>
            <iframe title="advert" id="advert" src="{other_origin}/advert.html"></iframe></main>
            <script>
              window.seen = [];
              addEventListener('message', function (e) {{
                if (e.origin === 'WIDGET') window.seen.push(e.data);
              }});
            </script>
            <script src="WIDGET/embed.js" data-clinic="demo" data-open="records"></script></body></html>"#
        ),
    );
    // A third-party frame on another origin tries to close the panel and to steer the widget.
    haven.host_page(
        "advert.html",
        r#"<!doctype html><html lang="en"><head><title>Advert</title></head><body><p>Buy now</p><script>
          window.attack = function () {
            parent.postMessage({ haven: 1, type: 'close' }, '*');
            parent.postMessage({ haven: 1, type: 'ready' }, '*');
          };
        </script></body></html>"#,
    );
    haven
        .client
        .goto(&format!("{}/spy.html", haven.host))
        .await
        .unwrap();
    haven.enter_widget().await;
    haven.heading("My record").await;
    let settings = haven
        .find("//nav//a[normalize-space()='Settings & privacy']")
        .await;
    settings.click().await.unwrap();
    haven.heading("Settings & privacy").await;
    haven
        .find("//main//select")
        .await
        .select_by_value("vi")
        .await
        .unwrap();
    haven.heading("Cài đặt & quyền riêng tư").await;
    haven.client.enter_parent_frame().await.unwrap();

    let reads = haven
        .js(
            "const frame = document.querySelector('haven-root').shadowRoot.querySelector('iframe');
             const attempts = {};
             try { attempts.document = frame.contentDocument === null ? 'null' : 'READ'; }
             catch (e) { attempts.document = e.name; }
             try { attempts.window = String(frame.contentWindow.document.title); }
             catch (e) { attempts.window = e.name; }
             try { attempts.storage = String(frame.contentWindow.localStorage.length); }
             catch (e) { attempts.storage = e.name; }
             return attempts;",
        )
        .await;
    assert_eq!(reads["document"], "null", "{reads}");
    assert_eq!(reads["window"], "SecurityError", "{reads}");
    assert_eq!(reads["storage"], "SecurityError", "{reads}");

    // Every message the widget sent the page is a bare UI event.
    let seen = haven.js("return window.seen").await;
    let seen = seen.as_array().unwrap();
    assert!(seen.iter().any(|m| m["type"] == "ready"), "{seen:?}");
    assert!(
        seen.iter()
            .any(|m| m["type"] == "language" && m["lang"] == "vi"),
        "{seen:?}"
    );
    for message in seen {
        let object = message.as_object().unwrap();
        assert!(
            object
                .keys()
                .all(|k| ["haven", "type", "section", "lang"].contains(&k.as_str())),
            "{message}"
        );
        assert!(
            ["ready", "close", "section", "language"].contains(&object["type"].as_str().unwrap()),
            "{message}"
        );
    }

    let advert = haven
        .client
        .find(fantoccini::Locator::Css("#advert"))
        .await
        .unwrap();
    advert.enter_frame().await.unwrap();
    haven.js("window.attack()").await;
    haven.client.enter_parent_frame().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let launcher = haven.launcher().await;
    assert_eq!(
        launcher.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true"),
        "a message from another origin did not close the panel"
    );
    // A message in an unknown protocol version does not steer the widget either.
    haven
        .js(&format!(
            "document.querySelector('haven-root').shadowRoot.querySelector('iframe').contentWindow
                .postMessage({{ haven: 2, type: 'open', section: 'records' }}, '{}');",
            haven.widget
        ))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    haven.enter_widget().await;
    haven.heading("Cài đặt & quyền riêng tư").await;
    haven.finish().await;
}

#[tokio::test]
async fn a_staff_member_signs_in_is_refused_without_the_csrf_token_and_signs_out() {
    let haven = Haven::start().await;
    haven
        .add_staff(
            "admin@riverside.example",
            "admin",
            "a long enough passphrase",
        )
        .await;
    haven
        .client
        .goto(&format!("{}/console/", haven.widget))
        .await
        .unwrap();
    haven.heading("Sign in").await;
    haven.assert_accessible("console sign-in").await;

    // A wrong password gets the same message as an unknown account.
    let email = haven
        .find("//input[@id=//label[normalize-space()='Email address']/@for]")
        .await;
    let password = haven
        .find("//input[@id=//label[normalize-space()='Password']/@for]")
        .await;
    email.send_keys("admin@riverside.example").await.unwrap();
    password.send_keys("not the passphrase").await.unwrap();
    password.send_keys(&Key::Enter.to_string()).await.unwrap();
    haven
        .find("//*[@role='alert' or @aria-live][contains(., 'not right')]")
        .await;

    password.clear().await.unwrap();
    password
        .send_keys("a long enough passphrase")
        .await
        .unwrap();
    haven
        .find("//button[normalize-space()='Sign in']")
        .await
        .click()
        .await
        .unwrap();
    haven.find("//nav[@aria-label='Console']").await;
    for section in [
        "Request inbox",
        "Moderation queue",
        "Content",
        "Audit log",
        "Staff accounts",
    ] {
        let link = haven
            .find(&format!(
                "//nav[@aria-label='Console']//a[normalize-space()='{section}']"
            ))
            .await;
        link.click().await.unwrap();
        haven.heading(section).await;
        haven
            .assert_accessible(&format!("console: {section}"))
            .await;
    }
    haven.find("//table//td[contains(., 'admin@riverside.example')] | //table//th[contains(., 'admin@riverside.example')]").await;

    // The session cookie alone is not enough to change anything.
    let status = haven
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/staff/sign-out', { method: 'POST', credentials: 'same-origin' })
                 .then(r => done(r.status)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        status, 403,
        "a state-changing request without the CSRF token is refused"
    );
    haven.client.refresh().await.unwrap();
    haven.find("//nav[@aria-label='Console']").await;

    haven
        .find("//button[normalize-space()='Sign out']")
        .await
        .click()
        .await
        .unwrap();
    haven.heading("Sign in").await;
    let after = haven
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/staff/session').then(r => done(r.status)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(after, 401, "the session ended on sign-out");
    haven.finish().await;
}

#[tokio::test]
async fn on_a_320_pixel_screen_the_panel_fills_the_screen_and_no_view_scrolls_sideways() {
    let haven = Haven::start().await;
    haven.client.set_window_size(320, 640).await.unwrap();
    haven.client.goto(&haven.host).await.unwrap();
    let launcher = haven.launcher().await;
    launcher.click().await.unwrap();
    let panel = haven
        .js(
            "const rect = document.querySelector('haven-root').shadowRoot.querySelector('dialog')
                 .getBoundingClientRect();
             const page = document.documentElement;
             return [rect.width, rect.height, page.clientWidth, page.clientHeight];",
        )
        .await;
    assert_eq!(
        panel[0], panel[2],
        "the panel is as wide as the screen: {panel}"
    );
    assert_eq!(
        panel[1], panel[3],
        "the panel is as tall as the screen: {panel}"
    );

    haven.enter_widget().await;
    haven.heading("Learn").await;
    haven.find("//footer//a[starts-with(@href, 'tel:')]").await;
    let brand = haven
        .js("return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
        .await;
    assert_eq!(
        brand, "#0b6e75",
        "the clinic's colour, dark enough for white text, is the theme"
    );
    for (_, name, _) in SECTIONS {
        haven
            .find(&format!("//nav//a[normalize-space()='{name}']"))
            .await
            .click()
            .await
            .unwrap();
        haven.heading(name).await;
        let fits = haven
            .js("return document.scrollingElement.scrollWidth <= innerWidth")
            .await;
        assert_eq!(fits, true, "{name} scrolls sideways at 320 px");
    }
    haven.finish().await;
}

#[tokio::test]
async fn malformed_loader_attributes_fall_back_to_defaults_with_one_warning_each_and_nothing_shifts()
 {
    let haven = Haven::start().await;
    haven.host_page(
        "odd.html",
        r#"<!doctype html><html lang="vi"><head><title>Phòng khám</title></head><body>
        <main><h1>Phòng khám</h1><p>Nội dung trang.</p></main>
        <script>
          window.warnings = [];
          console.warn = function (message) { window.warnings.push(String(message)); };
          // Where every element of the page's own content is, to compare before and after.
          window.layout = function () {
            return [...document.body.querySelectorAll('*')].map(function (element) {
              var r = element.getBoundingClientRect();
              return element.nodeName + ' ' + [r.x, r.y, r.width, r.height].join(',');
            }).join(';') + ' scroll ' + scrollX + ',' + scrollY;
          };
        </script>
        <script src="WIDGET/embed.js" data-color="red" data-position="middle" data-lang="fr"
                data-clinic="Not A Clinic!"></script>
        <script>Haven('fly'); Haven('fly');</script></body></html>"#,
    );
    haven
        .client
        .goto(&format!("{}/odd.html", haven.host))
        .await
        .unwrap();
    let launcher = haven.launcher().await;
    // The page is in Vietnamese and data-lang was unusable: the default label follows the page.
    assert_eq!(haven.accessible_name(&launcher).await, "Hỗ trợ sức khỏe");
    let warnings = haven.js("return window.warnings").await;
    let warnings: Vec<&str> = warnings
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    for attribute in ["data-color", "data-position", "data-lang", "data-clinic"] {
        assert_eq!(
            warnings.iter().filter(|w| w.contains(attribute)).count(),
            1,
            "one warning for {attribute}: {warnings:?}"
        );
    }
    assert_eq!(
        warnings.iter().filter(|w| w.contains("fly")).count(),
        1,
        "{warnings:?}"
    );
    let (x, _, _, _) = launcher.rectangle().await.unwrap();
    assert!(
        x > 600.0,
        "an unknown position falls back to bottom-right (x = {x})"
    );

    let before = haven.js("return window.layout()").await;
    // An unknown section warns and opens the home section.
    haven.js("Haven('open', 'nowhere')").await;
    haven.enter_widget().await;
    // With no usable data-lang and no saved choice, the widget follows the browser (English),
    // and the launcher follows the widget.
    haven.heading("Learn").await;
    haven.client.enter_parent_frame().await.unwrap();
    let warnings = haven.js("return window.warnings").await;
    assert!(
        warnings
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("section"))),
        "{warnings}"
    );
    for _ in 0..50 {
        if haven.accessible_name(&launcher).await == "Health help" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(haven.accessible_name(&launcher).await, "Health help");
    let after = haven.js("return window.layout()").await;
    assert_eq!(
        before, after,
        "opening Haven moved nothing on the clinic's page"
    );
    haven.finish().await;
}

#[tokio::test]
async fn the_crisis_panel_offers_the_clinics_lines_and_never_invents_one() {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn", haven.widget))
        .await
        .unwrap();
    haven
        .find("//button[normalize-space()='Get help now']")
        .await
        .click()
        .await
        .unwrap();
    let panel = "//section[h2[normalize-space()='Need help now?']]";
    haven
        .find(&format!(
            "{panel}//a[@href='tel:19001267'][normalize-space()='Call 1900 1267']"
        ))
        .await;
    haven.find(&format!("{panel}//a[@href='tel:111']")).await;
    haven
        .find(&format!(
            "{panel}//a[@href='tel:115'][normalize-space()='Call emergency services']"
        ))
        .await;
    haven.finish().await;

    let haven = Haven::start_with(|config| config.crisis_lines.clear()).await;
    haven
        .client
        .goto(&format!("{}/learn?lang=vi", haven.widget))
        .await
        .unwrap();
    haven
        .find("//button[normalize-space()='Tìm trợ giúp ngay']")
        .await
        .click()
        .await
        .unwrap();
    let panel = "//section[h2[normalize-space()='Cần giúp đỡ ngay?']]";
    haven
        .find(&format!("{panel}//p[contains(., 'hãy gọi 115 ngay')]"))
        .await;
    let links = haven
        .js("return [...document.querySelectorAll('.crisis a[href^=\"tel:\"]')].map(a => a.getAttribute('href'))")
        .await;
    assert_eq!(
        links,
        serde_json::json!(["tel:115"]),
        "only the emergency number, no invented line"
    );
    haven
        .assert_accessible("the crisis panel with no lines, in Vietnamese")
        .await;
    haven.finish().await;
}

#[tokio::test]
async fn a_patients_language_choice_wins_over_the_clinic_pages_language_on_the_next_page() {
    let haven = Haven::start().await;
    haven.host_page(
        "vi.html",
        r#"<!doctype html><html lang="vi"><head><title>Phòng khám</title></head><body><main><h1>Phòng khám</h1></main>
        <script src="WIDGET/embed.js" async data-clinic="demo" data-lang="vi"></script></body></html>"#,
    );
    let page = format!("{}/vi.html", haven.host);
    haven.client.goto(&page).await.unwrap();
    let launcher = haven.launcher().await;
    assert_eq!(haven.accessible_name(&launcher).await, "Hỗ trợ sức khỏe");
    launcher.click().await.unwrap();
    haven.enter_widget().await;
    haven.heading("Tìm hiểu").await;
    // The patient switches to English inside the widget.
    let picker = haven.find("//select[@id='language-header']").await;
    picker.select_by_value("en").await.unwrap();
    haven.heading("Learn").await;
    haven.client.enter_parent_frame().await.unwrap();
    haven
        .until(
            "the launcher follows",
            "return document.querySelector('haven-root').shadowRoot
                .querySelector('button[aria-controls]').textContent === 'Health help'",
        )
        .await;

    // The clinic's next page still says data-lang="vi"; the patient's choice wins.
    haven.client.goto(&page).await.unwrap();
    let launcher = haven.launcher().await;
    assert_eq!(haven.accessible_name(&launcher).await, "Health help");
    launcher.click().await.unwrap();
    haven.enter_widget().await;
    haven.heading("Learn").await;
    haven.finish().await;
}

#[tokio::test]
async fn on_a_phone_the_panel_has_one_close_control_and_learns_search_box_is_in_the_top_third() {
    let haven = Haven::start().await;
    haven.client.goto(&haven.host).await.unwrap();
    // A 360 × 740 phone.
    haven
        .client
        .issue_cmd(harness::SessionCommand::cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true }),
        ))
        .await
        .unwrap();
    haven.launcher().await.click().await.unwrap();
    let outside = haven
        .js(
            "const root = document.querySelector('haven-root').shadowRoot;
             return [root.querySelector('iframe').getBoundingClientRect().top, innerHeight,
                     [...root.querySelectorAll('dialog button')].map(b => b.textContent)];",
        )
        .await;
    assert_eq!(outside[2], serde_json::json!(["Close"]), "{outside}");
    haven.enter_widget().await;
    haven
        .find("//input[@id=//label[normalize-space()='Search health topics']/@for]")
        .await;
    haven.find("//h2[normalize-space()='Browse topics']").await;
    let inside = haven
        .js("const box = document.getElementById('learn-query').getBoundingClientRect();
             const closers = [...document.querySelectorAll('button')]
                 .filter(b => /close|×|đóng/i.test(b.textContent + (b.ariaLabel || '')));
             return [box.top, box.bottom, closers.length,
                     document.querySelector('nav[aria-label=Sections] ul').getBoundingClientRect().height];")
        .await;
    let (frame_top, height) = (outside[0].as_f64().unwrap(), outside[1].as_f64().unwrap());
    let (top, bottom) = (inside[0].as_f64().unwrap(), inside[1].as_f64().unwrap());
    assert!(
        frame_top + top <= height / 3.0 && frame_top + bottom <= height,
        "the search box starts {} px down a {height} px screen: {outside} {inside}",
        frame_top + top
    );
    assert_eq!(
        inside[2], 0,
        "the widget adds no close control of its own: {inside}"
    );
    assert!(
        inside[3].as_f64().unwrap() < 60.0,
        "the sections' navigation is one row: {inside}"
    );
    haven.finish().await;
}
