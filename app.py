from jimtraining import create_app

app = create_app()
