"""Sessions end when an account is deactivated or its password changes elsewhere."""

from jimtraining.accounts.services import set_enabled

NEW_PASSWORD = "kompas regenjas tulp vijver"


def test_deactivated_user_is_logged_out_at_the_next_request(app, login, make_user):
    admin = make_user(role="admin")
    user = make_user()
    phone = app.test_client()
    login(phone, user)
    assert phone.get("/profile").status_code == 200
    set_enabled(user, False, by=admin)
    response = phone.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_admin_deactivation_through_the_page_logs_the_user_out(app, login, make_user):
    admin, user = make_user(role="admin"), make_user()
    admin_client, user_client = app.test_client(), app.test_client()
    login(admin_client, admin)
    login(user_client, user)
    response = admin_client.submit(f"/admin/users/{user.id}/deactivate", page="/admin/users")
    assert response.status_code == 302
    assert user_client.get("/profile").status_code == 302


def test_reactivated_user_can_log_in_again(app, client, login, make_user):
    admin, user = make_user(role="admin"), make_user()
    set_enabled(user, False, by=admin)
    set_enabled(user, True, by=admin)
    login(client, user)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, login, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    response = laptop.submit("/profile/password", {
        "current_password": "lamp fiets wolk tegel", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }, page="/profile/password")
    assert response.status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert phone.get("/profile").status_code == 302
    login(phone, user, password=NEW_PASSWORD)


def test_remember_me_cookie_stops_working_after_password_change(app, make_user):
    user = make_user()
    other = app.test_client()
    other.submit("/login", {"email": user.email, "password": "lamp fiets wolk tegel", "remember": "y"},
                 page="/login")
    remember = other.get_cookie("remember_token")
    assert remember is not None
    from jimtraining.accounts.services import change_password

    change_password(user, NEW_PASSWORD)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/profile").status_code == 302


def test_wrong_current_password_changes_nothing(client, login, make_user):
    user = make_user()
    login(client, user)
    response = client.submit("/profile/password", {
        "current_password": "niet goed", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }, page="/profile/password")
    assert response.status_code == 200
    assert "Je huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    assert user.check_password("lamp fiets wolk tegel")


def test_password_change_keeps_stay_logged_in_on_this_device(app, make_user):
    user = make_user()
    laptop = app.test_client()
    laptop.submit("/login", {"email": user.email, "password": "lamp fiets wolk tegel", "remember": "y"},
                  page="/login")
    laptop.submit("/profile/password", {
        "current_password": "lamp fiets wolk tegel", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }, page="/profile/password")
    remember = laptop.get_cookie("remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/profile").status_code == 200
